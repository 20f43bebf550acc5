"""The editor role beyond the table: the role × endpoint rows (401 without a token on writes,
403 for other roles, drafts 404 for non-editors) live in tests/kennisbank/permissions.py."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import DevIdp
from tests.kennisbank.conftest import BASE, artikel_body


def test_public_routes_need_no_token_but_refuse_an_invalid_one(client: TestClient) -> None:
    for pad in (f"{BASE}/artikelen", f"{BASE}/zoeken?q=woningscan"):
        assert client.get(pad).status_code == 200
        ongeldig = client.get(pad, headers={"Authorization": "Bearer niet-een-token"})
        assert ongeldig.status_code == 401


def test_non_editors_never_see_concepts_even_when_asking(
    client: TestClient, redacteur: dict[str, str], devidp: DevIdp
) -> None:
    slug = client.post(f"{BASE}/artikelen", json=artikel_body(), headers=redacteur).json()["slug"]
    melder = devidp.headers("melder-2", ["melder"])
    assert client.get(f"{BASE}/artikelen/{slug}", headers=melder).status_code == 404
    lijst = client.get(f"{BASE}/artikelen", params={"status": "concept"}, headers=melder)
    assert lijst.json()["count"] == 0
