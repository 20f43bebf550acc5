"""Every operation of the OpenAPI document, and what one call of it adds to the access log.

DESIGN.md: every read of the detail and every change by anyone but the melder is logged;
list views are not logged per melding. The table below is that rule written out per
operation. A new operation fails `test_the_table_names_every_operation` until it is put in
the table, and the parametrised test then proves the service logs it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.meldingen.bijlagen import png, upload
from tests.meldingen.conftest import Scene

DOC = "/api/meldingen/v1/openapi.json"
AANGIFTE = {
    "datumAangifte": "2026-11-21",
    "politieRegistratienummer": "PL0900-2026112100123",
    "status": "gedaan",
    "ondersteuning": ["juridisch_advies"],
}

# Operations outside one melding: nothing to log per melding.
NOT_PER_MELDING = {
    ("post", "/meldingen"),
    ("get", "/meldingen"),
    ("get", "/mijn-gegevens"),
    ("get", "/statistieken"),
    ("get", "/nazorgmomenten"),
}

Setup = Callable[[TestClient, Scene], dict[str, str]]
Call = Callable[[TestClient, Scene, dict[str, str]], httpx.Response]


def _nothing(client: TestClient, scene: Scene) -> dict[str, str]:
    return {}


def _bijlage_by_melder(client: TestClient, scene: Scene) -> dict[str, str]:
    created = upload(client, scene.url("/bijlagen"), scene.melder, "a.png", png())
    assert created.status_code == 201, created.text
    return {"bid": created.json()["id"]}


def _aangifte_by_melder(client: TestClient, scene: Scene) -> dict[str, str]:
    put = client.put(scene.url("/aangifte"), json=AANGIFTE, headers=scene.melder)
    assert put.status_code == 201, put.text
    return {}


def _moment_by_handler(client: TestClient, scene: Scene) -> dict[str, str]:
    created = client.post(scene.url("/nazorgmomenten"), json=_moment(), headers=scene.handler)
    assert created.status_code == 201, created.text
    return {"nid": created.json()["id"]}


def _moment() -> dict[str, str]:
    return {"gepland": (datetime.now(UTC) + timedelta(days=3)).isoformat(), "omschrijving": "x"}


# (method, OpenAPI path) → (setup, one successful call by a handler in reach, the entry
# that call adds; None: it adds none).
PER_MELDING: dict[tuple[str, str], tuple[Setup, Call, str | None]] = {
    ("get", "/meldingen/{id}"): (
        _nothing,
        lambda c, s, _: c.get(s.url(), headers=s.handler),
        "bekeken",
    ),
    ("patch", "/meldingen/{id}"): (
        _nothing,
        lambda c, s, _: c.patch(s.url(), json={"prioriteit": "hoog"}, headers=s.handler),
        "gewijzigd",
    ),
    ("post", "/meldingen/{id}/statuswijzigingen"): (
        _nothing,
        lambda c, s, _: c.post(
            s.url("/statuswijzigingen"), json={"status": "in_behandeling"}, headers=s.handler
        ),
        "status_gewijzigd",
    ),
    ("post", "/meldingen/{id}/toewijzing"): (
        _nothing,
        lambda c, s, _: c.post(
            s.url("/toewijzing"), json={"behandelaar": "iemand"}, headers=s.handler
        ),
        "toegewezen",
    ),
    ("post", "/meldingen/{id}/notities"): (
        _nothing,
        lambda c, s, _: c.post(s.url("/notities"), json={"tekst": "Intern"}, headers=s.handler),
        "notitie_toegevoegd",
    ),
    ("get", "/meldingen/{id}/notities"): (
        _nothing,
        lambda c, s, _: c.get(s.url("/notities"), headers=s.handler),
        "bekeken",
    ),
    ("get", "/meldingen/{id}/inzages"): (
        _nothing,
        lambda c, s, _: c.get(s.url("/inzages"), headers=s.handler),
        None,
    ),
    ("put", "/meldingen/{id}/aangifte"): (
        _nothing,
        lambda c, s, _: c.put(s.url("/aangifte"), json=AANGIFTE, headers=s.handler),
        "aangifte_gewijzigd",
    ),
    ("get", "/meldingen/{id}/aangifte"): (
        _aangifte_by_melder,
        lambda c, s, _: c.get(s.url("/aangifte"), headers=s.handler),
        "bekeken",
    ),
    ("post", "/meldingen/{id}/bijlagen"): (
        _nothing,
        lambda c, s, _: upload(c, s.url("/bijlagen"), s.handler, "a.png", png()),
        "bijlage_toegevoegd",
    ),
    ("get", "/meldingen/{id}/bijlagen"): (
        _bijlage_by_melder,
        lambda c, s, _: c.get(s.url("/bijlagen"), headers=s.handler),
        "bekeken",
    ),
    ("get", "/meldingen/{id}/bijlagen/{bid}"): (
        _bijlage_by_melder,
        lambda c, s, ids: c.get(s.url(f"/bijlagen/{ids['bid']}"), headers=s.handler),
        "bekeken",
    ),
    ("get", "/meldingen/{id}/bijlagen/{bid}/inhoud"): (
        _bijlage_by_melder,
        lambda c, s, ids: c.get(s.url(f"/bijlagen/{ids['bid']}/inhoud"), headers=s.handler),
        "bijlage_bekeken",
    ),
    ("post", "/meldingen/{id}/nazorgmomenten"): (
        _nothing,
        lambda c, s, _: c.post(s.url("/nazorgmomenten"), json=_moment(), headers=s.handler),
        "nazorg_gewijzigd",
    ),
    ("get", "/meldingen/{id}/nazorgmomenten"): (
        _nothing,
        lambda c, s, _: c.get(s.url("/nazorgmomenten"), headers=s.handler),
        "bekeken",
    ),
    ("patch", "/meldingen/{id}/nazorgmomenten/{nid}"): (
        _moment_by_handler,
        lambda c, s, ids: c.patch(
            s.url(f"/nazorgmomenten/{ids['nid']}"), json={"uitgevoerd": True}, headers=s.handler
        ),
        "nazorg_gewijzigd",
    ),
}

METHODS = {"get", "put", "post", "patch", "delete"}


def _log(client: TestClient, scene: Scene) -> list[dict[str, Any]]:
    response = client.get(scene.url("/inzages"), params={"pageSize": 100}, headers=scene.melder)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_the_table_names_every_operation(client: TestClient) -> None:
    paths = client.get(DOC).json()["paths"]
    operations = {(m, path) for path, item in paths.items() for m in item if m in METHODS}
    assert operations == set(PER_MELDING) | NOT_PER_MELDING


@pytest.mark.parametrize("operation", list(PER_MELDING), ids=" ".join)
def test_each_operation_on_a_melding_logs_what_design_says(
    client: TestClient, scene: Scene, operation: tuple[str, str]
) -> None:
    setup, call, expected = PER_MELDING[operation]
    ids = setup(client, scene)
    before = _log(client, scene)
    response = call(client, scene, ids)
    assert response.status_code in {200, 201}, response.text
    after = _log(client, scene)
    added = after[: len(after) - len(before)]
    assert after[len(added) :] == before, "the log is append-only"
    assert [entry["actie"] for entry in added] == ([expected] if expected else [])
    for entry in added:
        assert entry["rol"] == "behandelaar"
        assert entry["organisatie"] == scene.org
