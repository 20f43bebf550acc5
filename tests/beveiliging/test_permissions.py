"""Roles and tenancy of beveiliging: the rows of tests/beveiliging/permissions.py over HTTP."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.beveiliging.risicoanalyse.vragenlijst import VRAGENLIJST_V1, VraagType
from tests.beveiliging.conftest import Token, gemeente, uniek
from tests.beveiliging.helpers import ADRES, BASE, scan_aanvragen
from tests.beveiliging.permissions import ROWS
from tests.permissions import Row

ANTWOORDEN = {v.code: False if v.type is VraagType.JA_NEE else 0 for v in VRAGENLIJST_V1.vragen}


def _body(row: Row, org_a: str) -> dict[str, Any] | None:
    bodies: dict[str, dict[str, Any]] = {
        "create": {"adres": ADRES, "reden": "Dreiging"}
        if "woningscans" in row.path
        else {"maatregel": "paniekknop", "betreft": uniek(), "kosten": "1", "financier": "rijk"},
        "adres": {"adres": ADRES},
        "plan": {"status": "ingepland", "gepland": "2027-01-01T10:00:00+01:00", "adviseur": "a"},
        "cancel": {"status": "geannuleerd"},
        "move": {"status": "goedgekeurd"},
        "toevoegen": {"code": f"t_{uuid.uuid4().hex[:12]}", "naam": "Test", "categorie": "digitaal",
                      "omschrijving": "Een maatregel voor de rechtentest."},
        "zelf": {"vragenlijstVersie": 1, "antwoorden": ANTWOORDEN},
        "pakket": {"burgemeester": uniek("bm"), "gemeente": org_a, "startdatum": "2027-01-01"},
    }  # fmt: skip
    return bodies.get(row.action)


def _caller_org(situation: str, org_a: str, org_b: str) -> str:
    return {"andere_org": org_b, "owb": "OWB"}.get(situation, org_a)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_role_and_reach(client: TestClient, token: Token, row: Row) -> None:
    org_a, org_b = gemeente(), gemeente()
    melder_sub = uniek("melder")
    melder = token(melder_sub, ["melder"], org_a)
    caller_sub = melder_sub if row.situation == "eigen" else uniek(row.role)
    caller = token(caller_sub, [row.role], _caller_org(row.situation, org_a, org_b))
    resource_id = str(uuid.uuid4())
    if "{id}" in row.path and row.situation != "onbekend_id":
        if "woningscans" in row.path:
            eigen = melder if row.role == "melder" else token(caller_sub, ["melder"], org_a)
            scan = scan_aanvragen(client, eigen if row.situation == "eigen" else melder)
            resource_id = scan["id"]
        else:
            adviseur = token(uniek("adv"), ["beveiligingsadviseur"], org_a)
            betreft = caller_sub if row.situation == "eigen" else melder_sub
            body = {
                "maatregel": "paniekknop",
                "betreft": betreft,
                "kosten": "1.00",
                "financier": "eigen",
            }
            created = client.post(f"{BASE}/beveiligingsmaatregelen", json=body, headers=adviseur)
            assert created.status_code == 201, created.text
            resource_id = created.json()["id"]
    path = row.path.replace("{id}", resource_id)
    response = client.request(row.method, path, json=_body(row, org_a), headers=caller)
    assert response.status_code == row.expected, response.text
