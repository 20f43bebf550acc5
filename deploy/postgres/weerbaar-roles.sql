-- Weerbaar Bestuur: schemas and database roles, one pair per service.
--
-- Per service (meldingen, beveiliging, kennisbank, notificaties):
--   schema <svc>           owned by <svc>_owner
--   role   <svc>_owner     owns the schema, runs the Alembic migrations
--   role   <svc>_app       what the running service connects as: USAGE on its
--                          own schema, SELECT/INSERT/UPDATE/DELETE on the tables
--                          and USAGE/SELECT on the sequences the owner creates
--                          there, nothing else
-- No role gets any right on another service's schema or on schema public.
--
-- Idempotent: safe to run again (also after migrations ran). It never grants
-- on existing tables, so a REVOKE made by a migration (UPDATE/DELETE on the
-- meldingen access log) stays in force. Passwords are set on every run, so
-- running it again with new values rotates them.
--
-- Run with psql (15 or newer) as a role that may create roles and schemas, in
-- the application database. The eight passwords come from the environment
-- (MELDINGEN_OWNER_PASSWORD, MELDINGEN_APP_PASSWORD, BEVEILIGING_..., ...),
-- read with \getenv so they never appear on a command line, or from psql
-- variables of the same name in lower case (-v meldingen_owner_password=...):
--   psql -v ON_ERROR_STOP=1 -f weerbaar-roles.sql
-- deploy/postgres/provision.sh wraps this.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

\if :{?meldingen_owner_password}
\else
  \getenv meldingen_owner_password MELDINGEN_OWNER_PASSWORD
\endif
\if :{?meldingen_owner_password}
\else
  \echo 'set psql variable meldingen_owner_password or environment variable MELDINGEN_OWNER_PASSWORD'
  SELECT 1 / 0 AS missing_meldingen_owner_password;
\endif
\if :{?meldingen_app_password}
\else
  \getenv meldingen_app_password MELDINGEN_APP_PASSWORD
\endif
\if :{?meldingen_app_password}
\else
  \echo 'set psql variable meldingen_app_password or environment variable MELDINGEN_APP_PASSWORD'
  SELECT 1 / 0 AS missing_meldingen_app_password;
\endif
\if :{?beveiliging_owner_password}
\else
  \getenv beveiliging_owner_password BEVEILIGING_OWNER_PASSWORD
\endif
\if :{?beveiliging_owner_password}
\else
  \echo 'set psql variable beveiliging_owner_password or environment variable BEVEILIGING_OWNER_PASSWORD'
  SELECT 1 / 0 AS missing_beveiliging_owner_password;
\endif
\if :{?beveiliging_app_password}
\else
  \getenv beveiliging_app_password BEVEILIGING_APP_PASSWORD
\endif
\if :{?beveiliging_app_password}
\else
  \echo 'set psql variable beveiliging_app_password or environment variable BEVEILIGING_APP_PASSWORD'
  SELECT 1 / 0 AS missing_beveiliging_app_password;
\endif
\if :{?kennisbank_owner_password}
\else
  \getenv kennisbank_owner_password KENNISBANK_OWNER_PASSWORD
\endif
\if :{?kennisbank_owner_password}
\else
  \echo 'set psql variable kennisbank_owner_password or environment variable KENNISBANK_OWNER_PASSWORD'
  SELECT 1 / 0 AS missing_kennisbank_owner_password;
\endif
\if :{?kennisbank_app_password}
\else
  \getenv kennisbank_app_password KENNISBANK_APP_PASSWORD
\endif
\if :{?kennisbank_app_password}
\else
  \echo 'set psql variable kennisbank_app_password or environment variable KENNISBANK_APP_PASSWORD'
  SELECT 1 / 0 AS missing_kennisbank_app_password;
\endif

\if :{?notificaties_owner_password}
\else
  \getenv notificaties_owner_password NOTIFICATIES_OWNER_PASSWORD
\endif
\if :{?notificaties_owner_password}
\else
  \echo 'set psql variable notificaties_owner_password or environment variable NOTIFICATIES_OWNER_PASSWORD'
  SELECT 1 / 0 AS missing_notificaties_owner_password;
\endif
\if :{?notificaties_app_password}
\else
  \getenv notificaties_app_password NOTIFICATIES_APP_PASSWORD
\endif
\if :{?notificaties_app_password}
\else
  \echo 'set psql variable notificaties_app_password or environment variable NOTIFICATIES_APP_PASSWORD'
  SELECT 1 / 0 AS missing_notificaties_app_password;
\endif

BEGIN;

CREATE TEMPORARY TABLE weerbaar_roles (
    service text NOT NULL,
    rolname text NOT NULL,
    password text NOT NULL
) ON COMMIT DROP;

INSERT INTO weerbaar_roles (service, rolname, password) VALUES
    ('meldingen', 'meldingen_owner', :'meldingen_owner_password'),
    ('meldingen', 'meldingen_app', :'meldingen_app_password'),
    ('beveiliging', 'beveiliging_owner', :'beveiliging_owner_password'),
    ('beveiliging', 'beveiliging_app', :'beveiliging_app_password'),
    ('kennisbank', 'kennisbank_owner', :'kennisbank_owner_password'),
    ('kennisbank', 'kennisbank_app', :'kennisbank_app_password'),
    ('notificaties', 'notificaties_owner', :'notificaties_owner_password'),
    ('notificaties', 'notificaties_app', :'notificaties_app_password');

-- Refuse empty passwords: a role without one could log in wherever the
-- server trusts the network.
DO $$
BEGIN
    IF EXISTS (SELECT FROM weerbaar_roles WHERE length(password) = 0) THEN
        RAISE EXCEPTION 'empty password for %',
            (SELECT string_agg(rolname, ', ') FROM weerbaar_roles WHERE length(password) = 0);
    END IF;
END
$$;

-- Roles: create when missing; always (re)set attributes and password.
-- NOINHERIT and no membership anywhere: a role only has what is granted to it.
-- Roles are cluster-wide, so another database being provisioned at the same
-- moment may create one first: that is fine.
DO $$
DECLARE
    name text;
BEGIN
    FOR name IN SELECT rolname FROM weerbaar_roles LOOP
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
                EXECUTE format('CREATE ROLE %I', name);
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END LOOP;
END
$$;

SELECT format(
    'ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT '
    'NOREPLICATION NOBYPASSRLS CONNECTION LIMIT %s PASSWORD %L',
    rolname,
    CASE WHEN rolname LIKE '%\_owner' THEN 5 ELSE 100 END,
    password)
FROM weerbaar_roles
\gexec

-- Unqualified names resolve to the service's own schema only.
SELECT format('ALTER ROLE %I SET search_path = %I', rolname, service)
FROM weerbaar_roles
\gexec

-- Nobody but the database owner gets anything through PUBLIC: no CONNECT to
-- this database and no use of schema public.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database())
\gexec
REVOKE ALL ON SCHEMA public FROM PUBLIC;

SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), rolname)
FROM weerbaar_roles
\gexec

-- Schemas, owned by the owner role.
SELECT format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', service, service || '_owner')
FROM (SELECT DISTINCT service FROM weerbaar_roles) AS s
\gexec

SELECT format('ALTER SCHEMA %I OWNER TO %I', service, service || '_owner')
FROM (SELECT DISTINCT service FROM weerbaar_roles) AS s
\gexec

-- Nobody else reaches the schema: not PUBLIC, not the other services.
SELECT format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', service)
FROM (SELECT DISTINCT service FROM weerbaar_roles) AS s
\gexec

SELECT format('REVOKE ALL ON SCHEMA %I FROM %I', s.service, r.rolname)
FROM (SELECT DISTINCT service FROM weerbaar_roles) AS s
JOIN weerbaar_roles AS r ON r.service <> s.service
\gexec

-- The runtime role: use the schema, never create in it.
SELECT format('REVOKE CREATE ON SCHEMA %I FROM %I', service, service || '_app')
FROM (SELECT DISTINCT service FROM weerbaar_roles) AS s
\gexec

SELECT format('GRANT USAGE ON SCHEMA %I TO %I', service, service || '_app')
FROM (SELECT DISTINCT service FROM weerbaar_roles) AS s
\gexec

-- Whatever the owner creates in the schema later (the migrations) is usable by
-- the runtime role. A migration narrows this per table where it must (the
-- access log: INSERT and SELECT only).
SELECT format(
    'ALTER DEFAULT PRIVILEGES FOR ROLE %1$I IN SCHEMA %2$I '
    'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %3$I',
    service || '_owner', service, service || '_app')
FROM (SELECT DISTINCT service FROM weerbaar_roles) AS s
\gexec

SELECT format(
    'ALTER DEFAULT PRIVILEGES FOR ROLE %1$I IN SCHEMA %2$I '
    'GRANT USAGE, SELECT ON SEQUENCES TO %3$I',
    service || '_owner', service, service || '_app')
FROM (SELECT DISTINCT service FROM weerbaar_roles) AS s
\gexec

-- Functions the owner creates are executable by the runtime role only, not by
-- PUBLIC (PostgreSQL's default). Per-schema defaults can only add rights, so
-- this one is set for everything the owner creates.
SELECT format(
    'ALTER DEFAULT PRIVILEGES FOR ROLE %I REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC',
    service || '_owner')
FROM (SELECT DISTINCT service FROM weerbaar_roles) AS s
\gexec

SELECT format(
    'ALTER DEFAULT PRIVILEGES FOR ROLE %1$I IN SCHEMA %2$I GRANT EXECUTE ON FUNCTIONS TO %3$I',
    service || '_owner', service, service || '_app')
FROM (SELECT DISTINCT service FROM weerbaar_roles) AS s
\gexec

COMMIT;
