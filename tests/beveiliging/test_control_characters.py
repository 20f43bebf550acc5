"""Control characters in filters and ids: a 400 or a 404, never a 500.

PostgreSQL text cannot hold NUL, so a NUL that reached a query failed there (found by
schemathesis through the gateway, on PostgreSQL).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.beveiliging.conftest import Token, gemeente
from tests.beveiliging.helpers import ADRES, BASE, scan_aanvragen, scan_status


@pytest.mark.parametrize("path", ["/beveiligingsmaatregelen", "/woningscans"])
@pytest.mark.parametrize("betreft", ["a\x00b", "a\x1fb", "a\x7f"])
def test_a_subject_filter_with_a_control_character_is_a_400(
    client: TestClient, token: Token, path: str, betreft: str
) -> None:
    adviseur = token("adviseur-cc", ["beveiligingsadviseur"], gemeente())
    response = client.get(f"{BASE}{path}", params={"betreft": betreft}, headers=adviseur)
    assert response.status_code == 400, response.text
    assert [p["name"] for p in response.json()["invalidParams"]] == ["betreft"]


@pytest.mark.parametrize("code", ["a%00b", "paniek%1Fknop", "PANIEKKNOP"])
def test_a_catalogue_code_that_cannot_exist_is_404(
    client: TestClient, token: Token, code: str
) -> None:
    org = gemeente()
    melder = token("melder-cc", ["melder"], org)
    assert client.get(f"{BASE}/maatregelen/{code}", headers=melder).status_code == 404
    beheerder = token("beheerder-cc", ["beheerder"], org)
    patched = client.patch(f"{BASE}/maatregelen/{code}", json={"naam": "x"}, headers=beheerder)
    assert patched.status_code == 404, patched.text


@pytest.mark.parametrize("teken", ["\x00", "\x01", "\x1f", "\x7f"])
def test_a_subject_in_a_body_with_a_control_character_is_a_400(
    client: TestClient, token: Token, teken: str
) -> None:
    """Every subject field of a body refuses control characters, as in meldingen (was 201)."""
    org = gemeente()
    adviseur = token("adviseur-cc2", ["beveiligingsadviseur"], org)
    onderwerp = f"a{teken}b"
    verzoeken = [
        ("/woningscans", {"adres": ADRES, "reden": "r", "betreft": onderwerp}, "betreft"),
        (
            "/beveiligingsmaatregelen",
            {
                "maatregel": "paniekknop",
                "betreft": onderwerp,
                "kosten": "1.00",
                "financier": "gemeente",
            },
            "betreft",
        ),
        (
            "/risicoanalyses",
            {"vragenlijstVersie": 1, "antwoorden": {}, "betreft": onderwerp},
            "betreft",
        ),
        (
            "/veiligheidspakketten",
            {"burgemeester": onderwerp, "gemeente": "GM0363", "startdatum": "2026-01-01"},
            "burgemeester",
        ),
    ]
    for pad, body, veld in verzoeken:
        response = client.post(f"{BASE}{pad}", json=body, headers=adviseur)
        assert response.status_code == 400, (pad, response.text)
        assert veld in [p["name"] for p in response.json()["invalidParams"]], response.text
    scan = scan_aanvragen(client, adviseur)
    response = scan_status(client, adviseur, scan["id"], "ingepland", adviseur=onderwerp)
    assert response.status_code == 400, response.text
    assert [p["name"] for p in response.json()["invalidParams"]] == ["adviseur"]
