#!/bin/sh
# Create or update the Weerbaar Bestuur schemas and database roles.
#
# Usage: provision.sh [CONNECTION_URL]
#
# Connects to CONNECTION_URL (postgresql://admin@host:5432/weerbaar) when
# given; inside the postgres image's /docker-entrypoint-initdb.d to
# $POSTGRES_DB as $POSTGRES_USER; otherwise through the usual libpq variables
# (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD). The role used needs
# CREATEROLE and the right to create schemas in the database.
#
# Passwords come from the environment, never from arguments (they would show
# in the process list):
#   MELDINGEN_OWNER_PASSWORD    MELDINGEN_APP_PASSWORD
#   BEVEILIGING_OWNER_PASSWORD  BEVEILIGING_APP_PASSWORD
#   KENNISBANK_OWNER_PASSWORD   KENNISBANK_APP_PASSWORD
#   NOTIFICATIES_OWNER_PASSWORD NOTIFICATIES_APP_PASSWORD
# Running it again is safe and sets the passwords anew (rotation).
set -eu

sql_file=${WEERBAAR_ROLES_SQL:-$(dirname "$0")/weerbaar-roles.sql}
if [ ! -r "$sql_file" ]; then
    echo "provision.sh: cannot read $sql_file (set WEERBAAR_ROLES_SQL)" >&2
    exit 2
fi

missing=""
for var in MELDINGEN_OWNER_PASSWORD MELDINGEN_APP_PASSWORD \
    BEVEILIGING_OWNER_PASSWORD BEVEILIGING_APP_PASSWORD \
    KENNISBANK_OWNER_PASSWORD KENNISBANK_APP_PASSWORD \
    NOTIFICATIES_OWNER_PASSWORD NOTIFICATIES_APP_PASSWORD; do
    eval "value=\${$var:-}"
    if [ -z "$value" ]; then
        missing="$missing $var"
    fi
done
if [ -n "$missing" ]; then
    echo "provision.sh: missing environment variables:$missing" >&2
    exit 2
fi

if [ "$#" -ge 1 ]; then
    set -- --dbname "$1"
elif [ -n "${POSTGRES_DB:-}" ]; then
    set -- --username "${POSTGRES_USER:-postgres}" --dbname "$POSTGRES_DB"
else
    set --
fi

# psql reads the passwords from the environment itself (\getenv), so they
# never appear in the process list.
exec psql "$@" --no-psqlrc --quiet -v ON_ERROR_STOP=1 -f "$sql_file"
