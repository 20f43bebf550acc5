"""A field the server sets answers 400 `read_only` in every body, as in meldingen and
kennisbank (beveiliging answered `unknown_field`). An unknown field stays `unknown_field`."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.beveiliging.conftest import Token, gemeente, uniek
from tests.beveiliging.helpers import ADRES, BASE, scan_aanvragen


def _codes(response: Any) -> dict[str, str]:
    assert response.status_code == 400, response.text
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}


CREATES: list[tuple[str, dict[str, Any], list[str]]] = [
    (
        "/woningscans",
        {"adres": ADRES, "reden": "r"},
        ["id", "status", "aanvrager", "adresBekend", "aangemaaktOp", "gewijzigdOp"],
    ),
    (
        "/beveiligingsmaatregelen",
        {"maatregel": "paniekknop", "betreft": "b", "kosten": "1.00", "financier": "gemeente"},
        ["id", "status", "veiligheidspakketId", "aangemaaktOp"],
    ),
    (
        "/risicoanalyses",
        {"vragenlijstVersie": 1, "antwoorden": {}},
        ["id", "score", "niveau", "aanbevolenMaatregelen", "aangemaaktOp"],
    ),
    (
        "/veiligheidspakketten",
        {"burgemeester": "bm", "gemeente": "GM0363", "startdatum": "2026-01-01"},
        ["id", "intakegesprek", "woningscan", "maatregelen", "aangemaaktOp"],
    ),
]


@pytest.mark.parametrize(("path", "body", "fields"), CREATES)
@pytest.mark.parametrize("value", [None, "x", 1])
def test_a_server_field_in_a_create_body_is_read_only(
    client: TestClient,
    token: Token,
    path: str,
    body: dict[str, Any],
    fields: list[str],
    value: Any,
) -> None:
    adviseur = token(uniek("adviseur-ro"), ["beveiligingsadviseur"], gemeente())
    for field in fields:
        codes = _codes(client.post(f"{BASE}{path}", json={**body, field: value}, headers=adviseur))
        assert codes.get(field) == "read_only", (path, field, codes)
    unknown = _codes(
        client.post(f"{BASE}{path}", json={**body, "bestaatNiet": 1}, headers=adviseur)
    )
    assert unknown.get("bestaatNiet") == "unknown_field", unknown


def test_a_server_field_in_a_patch_body_is_read_only(client: TestClient, token: Token) -> None:
    org = gemeente()
    adviseur = token(uniek("adviseur-ro"), ["beveiligingsadviseur"], org)
    scan = scan_aanvragen(client, adviseur)
    for field in ("status", "adresBekend", "gewijzigdOp"):
        response = client.patch(
            f"{BASE}/woningscans/{scan['id']}", json={"adres": ADRES, field: "x"}, headers=adviseur
        )
        assert _codes(response) == {field: "read_only"}
    beheerder = token(uniek("beheerder-ro"), ["beheerder"], org)
    for field in ("aangemaaktOp", "ingetrokkenOp"):
        response = client.patch(
            f"{BASE}/maatregelen/paniekknop", json={"naam": "x", field: None}, headers=beheerder
        )
        assert _codes(response) == {field: "read_only"}
    response = client.post(
        f"{BASE}/maatregelen",
        json={
            "code": uniek("m").replace("-", "_"),
            "naam": "n",
            "categorie": "digitaal",
            "omschrijving": "o",
            "actief": True,
        },
        headers=beheerder,
    )
    assert _codes(response) == {"actief": "read_only"}


def test_read_only_fields_are_not_in_the_openapi_document(client: TestClient) -> None:
    schemas = client.get(f"{BASE}/openapi.json").json()["components"]["schemas"]
    assert "status" not in schemas["WoningscanCreate"]["properties"]
    assert "aangemaaktOp" not in schemas["VeiligheidspakketCreate"]["properties"]
