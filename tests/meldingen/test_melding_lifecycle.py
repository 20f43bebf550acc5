"""Reporting, reading, handling: the main path of a melding on both databases."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.conftest import DevIdp
from tests.meldingen.conftest import melding_body

BASE = "/api/meldingen/v1"


def test_melder_creates_and_reads_own_melding(
    client: TestClient, devidp: DevIdp, unique_sub: Callable[[str], str]
) -> None:
    melder = devidp.headers(unique_sub("melder"), ["melder"], "GM0363")
    created = client.post(f"{BASE}/meldingen", json=melding_body(), headers=melder)
    assert created.status_code == 201, created.text
    body = created.json()
    assert re.fullmatch(r"MLD-\d{4}-\d{6}", body["kenmerk"])
    assert body["status"] == "ontvangen"
    assert body["prioriteit"] == "normaal"
    assert body["organisatie"] == "GM0363"
    assert "behandelaar" not in body  # not shown to the melder
    assert created.headers["location"].endswith(f"/meldingen/{body['id']}")
    detail = client.get(f"{BASE}/meldingen/{body['id']}", headers=melder)
    assert detail.status_code == 200
    assert detail.json()["omschrijving"] == melding_body()["omschrijving"]
    assert detail.headers["etag"]
    assert detail.headers["api-version"] == "1.1.0"  # contract v1.1 (DESIGN.md part D)


def test_acute_danger_is_urgent_and_advises_112_first(
    client: TestClient, devidp: DevIdp, unique_sub: Callable[[str], str]
) -> None:
    melder = devidp.headers(unique_sub("melder"), ["melder"])
    body = client.post(
        f"{BASE}/meldingen", json=melding_body(acuutGevaar=True), headers=melder
    ).json()
    assert body["prioriteit"] == "spoed"
    assert "112" in body["advies"][0]


def test_handler_moves_status_and_melder_withdraws(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    org = unique_org()
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    handler = devidp.headers(unique_sub("handler"), ["behandelaar"], org)
    melding = client.post(f"{BASE}/meldingen", json=melding_body(), headers=melder).json()
    url = f"{BASE}/meldingen/{melding['id']}/statuswijzigingen"
    moved = client.post(
        url, json={"status": "in_behandeling", "toelichting": "Opgepakt"}, headers=handler
    )
    assert moved.status_code == 201, moved.text
    assert moved.json()["status"] == "in_behandeling"
    refused = client.post(url, json={"status": "ontvangen"}, headers=handler)
    assert refused.status_code == 409
    assert refused.json()["type"] == "urn:weerbaar:probleem:ongeldige-statusovergang"
    assert client.post(url, json={"status": "afgehandeld"}, headers=melder).status_code == 403
    assert client.post(url, json={"status": "ingetrokken"}, headers=handler).status_code == 403
    withdrawn = client.post(url, json={"status": "ingetrokken"}, headers=melder)
    assert withdrawn.status_code == 201
    assert withdrawn.json()["status"] == "ingetrokken"
    assert client.post(url, json={"status": "ingetrokken"}, headers=melder).status_code == 409


def test_national_team_keeps_reach_over_a_melding_it_files_for_a_municipality(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    org = unique_org()
    owb = devidp.headers(unique_sub("owb"), ["behandelaar"], "OWB")
    melder = unique_sub("melder")
    created = client.post(
        f"{BASE}/meldingen", json=melding_body(organisatie=org, melder=melder), headers=owb
    )
    assert created.status_code == 201, created.text
    melding_id = created.json()["id"]
    assert client.get(f"{BASE}/meldingen/{melding_id}", headers=owb).status_code == 200
    municipal = devidp.headers(unique_sub("handler"), ["behandelaar"], org)
    assert client.get(f"{BASE}/meldingen/{melding_id}", headers=municipal).status_code == 200
    reporter = devidp.headers(melder, ["melder"], org)
    assert client.get(f"{BASE}/meldingen/{melding_id}", headers=reporter).status_code == 200
