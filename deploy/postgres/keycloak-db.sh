#!/bin/sh
# Create Keycloak's own role and database (docker-compose only; in production
# Keycloak gets a database of its own from the platform).
#
# Runs from the postgres image's /docker-entrypoint-initdb.d, connected as
# $POSTGRES_USER; the password comes from KEYCLOAK_DB_PASSWORD and is read by
# psql itself (\getenv), never passed on a command line. Idempotent.
set -eu

if [ -z "${KEYCLOAK_DB_PASSWORD:-}" ]; then
    echo "keycloak-db.sh: KEYCLOAK_DB_PASSWORD is not set" >&2
    exit 2
fi

psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 \
    --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" <<'SQL'
\getenv keycloak_password KEYCLOAK_DB_PASSWORD
SELECT 'CREATE ROLE keycloak'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'keycloak')
\gexec
ALTER ROLE keycloak WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'keycloak_password';
SELECT 'CREATE DATABASE keycloak OWNER keycloak'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'keycloak')
\gexec
REVOKE ALL ON DATABASE keycloak FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE keycloak TO keycloak;
SQL
