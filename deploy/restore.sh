#!/bin/sh
# Restore one service's schema from a deploy/backup.sh dump.
#
# Usage: deploy/restore.sh -s SERVICE -f DUMP [-d DATABASE_URL] [-c]
#
#   -s SERVICE  meldingen | beveiliging | kennisbank
#   -f DUMP     the .dump file (its .sha256 is checked when present)
#   -d URL      the target database as the service's OWNER role; default
#               $RESTORE_DATABASE_URL. Password via PGPASSWORD or ~/.pgpass.
#   -c          clean: drop the schema's existing objects first. Without it
#               the restore refuses a schema that already holds tables.
#
# Prepare the target first with deploy/postgres/provision.sh: it creates the
# roles and the empty schema; the restore then runs as the owner role, needs
# no superuser, and brings back the tables, their data and their grants (the
# access log stays INSERT/SELECT only for the app role).
#
# Afterwards deploy the service with the key ring that was stored apart from
# the dump (WEERBAAR_DATA_KEYS): without it the encrypted fields cannot be
# read. Then run `migrate` if the image is newer than the dump.
set -eu

usage() {
    sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'
}

service=""
dump=""
clean=""
url=${RESTORE_DATABASE_URL:-}
while getopts "s:f:d:ch" option; do
    case "$option" in
        s) service=$OPTARG ;;
        f) dump=$OPTARG ;;
        d) url=$OPTARG ;;
        c) clean=1 ;;
        h) usage; exit 0 ;;
        *) usage >&2; exit 64 ;;
    esac
done

case "$service" in
    meldingen | beveiliging | kennisbank) ;;
    *) echo "restore.sh: -s must be meldingen, beveiliging or kennisbank" >&2; exit 64 ;;
esac
if [ -z "$dump" ] || [ -z "$url" ]; then
    echo "restore.sh: -f DUMP and -d URL (or RESTORE_DATABASE_URL) are required" >&2
    exit 64
fi
if [ ! -r "$dump" ]; then
    echo "restore.sh: cannot read $dump" >&2
    exit 1
fi
if [ -r "$dump.sha256" ]; then
    (cd "$(dirname "$dump")" && sha256sum --check --quiet "$(basename "$dump").sha256")
fi

schema_ready=$(psql --dbname="$url" --no-psqlrc --tuples-only --no-align -v ON_ERROR_STOP=1 \
    -c "SELECT count(*) FROM pg_namespace WHERE nspname = '$service'")
if [ "$schema_ready" != 1 ]; then
    echo "restore.sh: schema $service does not exist; run deploy/postgres/provision.sh first" >&2
    exit 1
fi
tables=$(psql --dbname="$url" --no-psqlrc --tuples-only --no-align -v ON_ERROR_STOP=1 \
    -c "SELECT count(*) FROM pg_tables WHERE schemaname = '$service'")
if [ "$tables" != 0 ] && [ -z "$clean" ]; then
    echo "restore.sh: schema $service already holds $tables tables; use -c to replace them" >&2
    exit 1
fi

# The schema itself comes from provision.sh (owner, grants): restore what is
# inside it. Creating a schema needs rights the owner role does not have.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pg_restore --list "$dump" | grep -v -E "^[0-9]+; [0-9]+ [0-9]+ SCHEMA - $service " >"$work/list"

# Plain SQL first, so a broken dump stops here, before anything is applied.
set -- --use-list="$work/list" --file="$work/restore.sql"
if [ -n "$clean" ]; then
    set -- "$@" --clean --if-exists
fi
pg_restore "$@" "$dump"

# The provisioned schema's default privileges would give the app role full
# rights on every restored table, and the dump's GRANTs only ever add: the
# access log would come back with UPDATE and DELETE. So drop the defaults
# first; the dump restores them (DEFAULT ACL entries) after the tables, and
# every table gets exactly the grants it had. One transaction for all.
cat >"$work/prologue.sql" <<SQL
ALTER DEFAULT PRIVILEGES FOR ROLE ${service}_owner IN SCHEMA $service REVOKE ALL ON TABLES FROM ${service}_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ${service}_owner IN SCHEMA $service REVOKE ALL ON SEQUENCES FROM ${service}_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ${service}_owner IN SCHEMA $service REVOKE ALL ON FUNCTIONS FROM ${service}_app;
SQL
# And as provision.sh sets them, for tables later migrations create (a no-op
# when the dump brought them back).
cat >"$work/epilogue.sql" <<SQL
ALTER DEFAULT PRIVILEGES FOR ROLE ${service}_owner IN SCHEMA $service GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${service}_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ${service}_owner IN SCHEMA $service GRANT USAGE, SELECT ON SEQUENCES TO ${service}_app;
ALTER DEFAULT PRIVILEGES FOR ROLE ${service}_owner IN SCHEMA $service GRANT EXECUTE ON FUNCTIONS TO ${service}_app;
SQL
psql --dbname="$url" --no-psqlrc --quiet --single-transaction -v ON_ERROR_STOP=1 \
    -f "$work/prologue.sql" -f "$work/restore.sql" -f "$work/epilogue.sql" >/dev/null

echo "restored schema $service from $dump"
if [ "$service" != kennisbank ]; then
    echo "NEXT: deploy $service with the key ring stored apart from this dump (WEERBAAR_DATA_KEYS)." >&2
fi
