"""deploy/postgres/provision.sh against the real PostgreSQL: every role reaches its own schema only.

Each test module provisions a throwaway database. Roles are cluster-wide, so
the script must be idempotent across databases too; the passwords it sets are
random per run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import asyncpg  # type: ignore[import-untyped]
import pytest

from tests.deploy.support import ROLES, SERVICES, provision, role_passwords, sql, url_as
from tests.support import postgres

pytestmark = pytest.mark.postgres_only


@dataclass
class Provisioned:
    admin_url: str
    database_url: str  # the admin role, connected to the throwaway database
    passwords: dict[str, str]

    def as_role(self, role: str) -> str:
        return url_as(self.database_url, role, self.passwords[f"{role.upper()}_PASSWORD"])


@pytest.fixture(scope="module")
def provisioned(postgres_admin_url: str) -> Iterator[Provisioned]:
    database_url = postgres.create_database(postgres_admin_url, prefix="wb_deploy_roles")
    passwords = role_passwords()
    try:
        result = provision(database_url, passwords)
        assert result.returncode == 0, result.stderr
        db = Provisioned(postgres_admin_url, database_url, passwords)
        # A table (with a sequence) per schema, made by its owner as a migration would.
        for svc in SERVICES:
            sql(
                db.as_role(f"{svc}_owner"),
                f"CREATE TABLE {svc}.probe (id serial PRIMARY KEY, tekst text)",
                f"INSERT INTO {svc}.probe (tekst) VALUES ('van de eigenaar')",
            )
        yield db
    finally:
        postgres.drop_database(postgres_admin_url, database_url)


def _refused(url: str, statement: str) -> None:
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        sql(url, statement)


def test_each_schema_is_owned_by_its_owner_role(provisioned: Provisioned) -> None:
    rows = sql(
        provisioned.database_url,  # the admin role, in the throwaway database
        "SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace",
    )[0]
    owners = {row["nspname"]: row["owner"] for row in rows}
    for svc in SERVICES:
        assert owners[svc] == f"{svc}_owner"


def test_roles_have_no_elevated_attributes_and_no_memberships(provisioned: Provisioned) -> None:
    rows = sql(
        provisioned.database_url,
        "SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,"
        " rolinherit, rolcanlogin, rolpassword IS NOT NULL AS has_password"
        " FROM pg_authid WHERE rolname = ANY(ARRAY[" + ",".join(f"'{r}'" for r in ROLES) + "])",
        "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member"
        " WHERE r.rolname = ANY(ARRAY[" + ",".join(f"'{r}'" for r in ROLES) + "])",
    )
    attributes, memberships = rows
    assert {row["rolname"] for row in attributes} == set(ROLES)
    for row in attributes:
        assert row["rolcanlogin"], row["rolname"]
        assert row["has_password"], row["rolname"]
        assert not any(
            row[flag]
            for flag in (
                "rolsuper",
                "rolcreaterole",
                "rolcreatedb",
                "rolreplication",
                "rolbypassrls",
                "rolinherit",
            )
        ), row["rolname"]
    assert memberships == []


@pytest.mark.parametrize("svc", SERVICES)
def test_app_role_reads_and_writes_what_the_owner_creates(
    provisioned: Provisioned, svc: str
) -> None:
    app = provisioned.as_role(f"{svc}_app")
    rows = sql(
        app,
        f"INSERT INTO {svc}.probe (tekst) VALUES ('van de dienst')",
        f"UPDATE {svc}.probe SET tekst = tekst || '!' WHERE tekst = 'van de dienst'",
        "SELECT tekst FROM probe ORDER BY id",  # search_path is the own schema
        f"DELETE FROM {svc}.probe WHERE tekst = 'van de dienst!'",
    )
    assert [r["tekst"] for r in rows[2]] == ["van de eigenaar", "van de dienst!"]


@pytest.mark.parametrize("svc", SERVICES)
def test_app_role_cannot_change_the_schema(provisioned: Provisioned, svc: str) -> None:
    app = provisioned.as_role(f"{svc}_app")
    _refused(app, f"CREATE TABLE {svc}.sluiproute (id int)")
    _refused(app, f"DROP TABLE {svc}.probe")
    _refused(app, f"ALTER TABLE {svc}.probe ADD COLUMN extra text")
    _refused(app, f"TRUNCATE {svc}.probe")


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_another_services_schema(provisioned: Provisioned, role: str) -> None:
    url = provisioned.as_role(role)
    own = role.rsplit("_", 1)[0]
    for other in SERVICES:
        if other == own:
            continue
        _refused(url, f"SELECT * FROM {other}.probe")
        _refused(url, f"INSERT INTO {other}.probe (tekst) VALUES ('indringer')")
        _refused(url, f"CREATE TABLE {other}.indringer (id int)")


@pytest.mark.parametrize("role", ROLES)
def test_no_role_creates_in_schema_public(provisioned: Provisioned, role: str) -> None:
    _refused(provisioned.as_role(role), "CREATE TABLE public.ergens (id int)")


def test_other_roles_cannot_connect_to_the_database(provisioned: Provisioned) -> None:
    stranger = "wb_deploy_stranger"
    sql(
        provisioned.database_url,
        f"DROP ROLE IF EXISTS {stranger}",
        f"CREATE ROLE {stranger} LOGIN",
    )
    try:
        _refused(url_as(provisioned.database_url, stranger), "SELECT 1")
    finally:
        sql(provisioned.admin_url, f"DROP ROLE IF EXISTS {stranger}")


def test_provisioning_again_keeps_a_migrations_revoke(provisioned: Provisioned) -> None:
    """Running the script again (password rotation) must not re-grant on existing tables."""
    owner = provisioned.as_role("meldingen_owner")
    sql(
        owner,
        "CREATE TABLE meldingen.toegang_probe (id serial PRIMARY KEY, actie text)",
        "REVOKE UPDATE, DELETE ON meldingen.toegang_probe FROM meldingen_app",
    )
    rotated = role_passwords()
    result = provision(provisioned.database_url, rotated)
    assert result.returncode == 0, result.stderr
    provisioned.passwords = rotated
    app = provisioned.as_role("meldingen_app")
    sql(app, "INSERT INTO meldingen.toegang_probe (actie) VALUES ('bekeken')")
    assert sql(app, "SELECT actie FROM meldingen.toegang_probe")[0][0]["actie"] == "bekeken"
    _refused(app, "UPDATE meldingen.toegang_probe SET actie = 'gewist'")
    _refused(app, "DELETE FROM meldingen.toegang_probe")


@pytest.mark.parametrize("empty", [False, True])
def test_missing_or_empty_password_is_refused(provisioned: Provisioned, empty: bool) -> None:
    passwords = role_passwords()
    if empty:
        passwords["KENNISBANK_APP_PASSWORD"] = ""
    else:
        del passwords["KENNISBANK_APP_PASSWORD"]
    result = provision(provisioned.database_url, passwords)
    assert result.returncode != 0
    assert "KENNISBANK_APP_PASSWORD" in result.stderr
