"""The access log: every detail read and change by anyone but the melder, append-only."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import asyncpg  # type: ignore[import-untyped]
import pytest
from fastapi.testclient import TestClient

from services.common.db import DatabaseTarget
from services.common.migrations import upgrade
from tests.conftest import Backend, DevIdp
from tests.deploy.support import provision, role_passwords, sql, url_as
from tests.meldingen.conftest import Scene, melding_body
from tests.meldingen.db import query
from tests.support import postgres

BASE = "/api/meldingen/v1"


def _log(client: TestClient, melding_id: str, headers: dict[str, str]) -> list[dict[str, str]]:
    response = client.get(f"{BASE}/meldingen/{melding_id}/inzages?pageSize=100", headers=headers)
    assert response.status_code == 200, response.text
    results: list[dict[str, str]] = response.json()["results"]
    return results


def test_melders_own_reads_and_changes_are_not_logged(client: TestClient, scene: Scene) -> None:
    assert client.get(f"{BASE}/meldingen/{scene.id}", headers=scene.melder).status_code == 200
    assert (
        client.get(f"{BASE}/meldingen/{scene.id}/notities", headers=scene.melder).status_code == 200
    )
    note = client.post(
        f"{BASE}/meldingen/{scene.id}/notities", json={"tekst": "Aanvulling"}, headers=scene.melder
    )
    assert note.status_code == 201
    withdrawn = client.post(
        f"{BASE}/meldingen/{scene.id}/statuswijzigingen",
        json={"status": "ingetrokken"},
        headers=scene.melder,
    )
    assert withdrawn.status_code == 201
    assert _log(client, str(scene.id), scene.melder) == []


def test_each_handler_action_is_logged_with_role_and_organisation_only(
    client: TestClient, scene: Scene
) -> None:
    url = f"{BASE}/meldingen/{scene.id}"
    assert client.get(url, headers=scene.handler).status_code == 200
    assert client.patch(url, json={"prioriteit": "hoog"}, headers=scene.handler).status_code == 200
    moved = client.post(
        f"{url}/statuswijzigingen", json={"status": "in_behandeling"}, headers=scene.handler
    )
    assert moved.status_code == 201
    assigned = client.post(
        f"{url}/toewijzing", json={"behandelaar": "iemand"}, headers=scene.handler
    )
    assert assigned.status_code == 200
    note = client.post(f"{url}/notities", json={"tekst": "Intern"}, headers=scene.handler)
    assert note.status_code == 201
    assert client.get(f"{url}/notities", headers=scene.handler).status_code == 200

    entries = _log(client, str(scene.id), scene.melder)
    assert [e["actie"] for e in reversed(entries)] == [
        "bekeken",
        "gewijzigd",
        "status_gewijzigd",
        "toegewezen",
        "notitie_toegevoegd",
        "bekeken",
    ]
    for entry in entries:
        assert set(entry) == {"tijdstip", "actie", "rol", "organisatie"}
        assert entry["rol"] == "behandelaar"
        assert entry["organisatie"] == scene.org
    # The handlers see the same log.
    assert _log(client, str(scene.id), scene.handler) == entries


def test_refused_actions_leave_no_entry(client: TestClient, scene: Scene) -> None:
    url = f"{BASE}/meldingen/{scene.id}/statuswijzigingen"
    assert (
        client.post(url, json={"status": "ingetrokken"}, headers=scene.handler).status_code == 403
    )
    assert _log(client, str(scene.id), scene.melder) == []


def test_national_team_reads_of_confidential_report_show_owb(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    org = unique_org()
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    owb = devidp.headers(unique_sub("owb"), ["behandelaar"], "OWB")
    mid = client.post(
        f"{BASE}/meldingen", json=melding_body(vertrouwelijk=True), headers=melder
    ).json()["id"]
    assert client.get(f"{BASE}/meldingen/{mid}", headers=owb).status_code == 200
    [entry] = _log(client, mid, melder)
    assert (entry["actie"], entry["rol"], entry["organisatie"]) == ("bekeken", "behandelaar", "OWB")


def test_log_is_for_melder_and_handlers_in_reach_only(
    client: TestClient,
    devidp: DevIdp,
    scene: Scene,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    url = f"{BASE}/meldingen/{scene.id}/inzages"
    other_handler = devidp.headers(unique_sub("h"), ["behandelaar"], unique_org())
    other_melder = devidp.headers(unique_sub("m"), ["melder"], scene.org)
    analist = devidp.headers(unique_sub("a"), ["analist"], scene.org)
    assert client.get(url, headers=other_handler).status_code == 404
    assert client.get(url, headers=other_melder).status_code == 404
    assert client.get(url, headers=analist).status_code == 403
    assert (
        client.get(f"{BASE}/meldingen/{uuid.uuid4()}/inzages", headers=other_handler).status_code
        == 404
    )


def test_log_is_paginated_newest_first(client: TestClient, scene: Scene) -> None:
    for _ in range(3):
        assert client.get(f"{BASE}/meldingen/{scene.id}", headers=scene.handler).status_code == 200
    page = client.get(
        f"{BASE}/meldingen/{scene.id}/inzages?pageSize=2", headers=scene.melder
    ).json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"] is not None
    assert page["previous"] is None
    assert page["results"][0]["tijdstip"] >= page["results"][1]["tijdstip"]


def test_stored_row_keeps_subject_and_request_id(
    client: TestClient, backend: Backend, scene: Scene
) -> None:
    request_id = f"req-{uuid.uuid4().hex}"
    response = client.get(
        f"{BASE}/meldingen/{scene.id}", headers={**scene.handler, "X-Request-ID": request_id}
    )
    assert response.status_code == 200
    rows = query(
        backend,
        "SELECT subject, request_id FROM meldingen.inzage WHERE melding_id = :m",
        m=uuid.UUID(str(scene.id)) if backend.is_postgres else uuid.UUID(str(scene.id)).hex,
    )
    assert len(rows) == 1
    assert rows[0]["request_id"] == request_id
    assert rows[0]["subject"].startswith("handler-")


# ---- PostgreSQL: the runtime role can add and read log rows, never change them ----------------


@pytest.fixture(scope="module")
def provisioned_database(postgres_admin_url: str) -> Iterator[tuple[str, dict[str, str]]]:
    database_url = postgres.create_database(postgres_admin_url, prefix="wb_inzage_roles")
    passwords = role_passwords()
    try:
        result = provision(database_url, passwords)
        assert result.returncode == 0, result.stderr
        yield database_url, passwords
    finally:
        postgres.drop_database(postgres_admin_url, database_url)


def test_app_role_cannot_alter_the_access_log(
    provisioned_database: tuple[str, dict[str, str]],
) -> None:
    """PostgreSQL only: database roles do not exist on SQLite."""
    database_url, passwords = provisioned_database
    owner = url_as(database_url, "meldingen_owner", passwords["MELDINGEN_OWNER_PASSWORD"])
    app = url_as(database_url, "meldingen_app", passwords["MELDINGEN_APP_PASSWORD"])
    from services.common.db import _async_url  # the same URL handling as the service

    upgrade("meldingen", DatabaseTarget(_async_url(owner), "meldingen"))
    melding_id, inzage_id = uuid.uuid4(), uuid.uuid4()
    sql(
        app,
        "INSERT INTO meldingen.melding (id, kenmerk, gedragstype, vormen, datum_voorval,"
        " maand_voorval, functie, organisatie, vertrouwelijk, acuut_gevaar, status, prioriteit,"
        " owb_bereik, advies, aangemaakt_op, gewijzigd_op, versie, reactie_uiterlijk) VALUES"
        f" ('{melding_id}', 'MLD-1999-000001', 'verward_gedrag', '[]', now(), '1999-01',"
        " 'raadslid', 'GM0001', false, false, 'ontvangen', 'normaal', false, '[]', now(), now(),"
        " 1, now())",
        "INSERT INTO meldingen.inzage (id, melding_id, subject, rol, organisatie, actie, tijdstip)"
        f" VALUES ('{inzage_id}', '{melding_id}', 'h1', 'behandelaar', 'GM0001', 'bekeken', now())",
    )
    rows = sql(app, f"SELECT actie FROM meldingen.inzage WHERE id = '{inzage_id}'")[0]
    assert [row["actie"] for row in rows] == ["bekeken"]
    for statement in (
        f"UPDATE meldingen.inzage SET actie = 'gewijzigd' WHERE id = '{inzage_id}'",
        f"UPDATE meldingen.inzage SET subject = NULL WHERE id = '{inzage_id}'",
        f"DELETE FROM meldingen.inzage WHERE id = '{inzage_id}'",
        "TRUNCATE meldingen.inzage",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            sql(app, statement)
    # The app role still changes ordinary tables.
    sql(app, f"UPDATE meldingen.melding SET prioriteit = 'hoog' WHERE id = '{melding_id}'")
    assert (
        sql(app, f"SELECT count(*) AS n FROM meldingen.inzage WHERE id = '{inzage_id}'")[0][0]["n"]
        == 1
    )
