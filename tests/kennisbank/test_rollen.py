"""The editor role matrix: 401 without a token on writes, 403 for other roles."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import DevIdp
from tests.kennisbank.conftest import BASE, artikel_body, publiceer

ANDERE_ROLLEN = ["melder", "behandelaar", "beveiligingsadviseur", "analist", "beheerder"]


def _schrijfacties(slug: str) -> list[tuple[str, str, dict[str, object]]]:
    return [
        ("POST", f"{BASE}/artikelen", artikel_body()),
        ("PATCH", f"{BASE}/artikelen/{slug}", {"titel": "Anders"}),
        ("POST", f"{BASE}/artikelen/{slug}/statuswijzigingen", {"status": "gearchiveerd"}),
    ]


def test_writes_without_a_token_are_401_with_www_authenticate(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    slug = publiceer(client, redacteur)["slug"]
    for methode, pad, body in _schrijfacties(slug):
        response = client.request(methode, pad, json=body)
        assert response.status_code == 401, (methode, pad)
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert client.get(f"{BASE}/artikelen/{slug}/revisies").status_code == 401


@pytest.mark.parametrize("rol", ANDERE_ROLLEN)
def test_other_roles_get_403_on_writes_and_revisions(
    client: TestClient, redacteur: dict[str, str], devidp: DevIdp, rol: str
) -> None:
    slug = publiceer(client, redacteur)["slug"]
    headers = devidp.headers(f"{rol}-1", [rol], "GM0363")
    for methode, pad, body in _schrijfacties(slug):
        assert client.request(methode, pad, json=body, headers=headers).status_code == 403
    assert client.get(f"{BASE}/artikelen/{slug}/revisies", headers=headers).status_code == 403
    # reading what is published stays open to them
    assert client.get(f"{BASE}/artikelen/{slug}", headers=headers).status_code == 200


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
