"""The catalogue and questionnaire answer over HTTP on both databases."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.beveiliging.conftest import Token, gemeente, uniek
from tests.beveiliging.helpers import BASE


def test_catalogue_is_seeded_and_paged(client: TestClient, token: Token) -> None:
    headers = token(uniek(), ["melder"], gemeente())
    response = client.get(f"{BASE}/maatregelen", params={"pageSize": 100}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] >= 15
    assert {m["categorie"] for m in body["results"]} == {
        "bouwkundig", "elektronisch", "organisatorisch", "persoonlijk", "digitaal"
    }  # fmt: skip
    assert response.headers["API-Version"] == "1.0.0"


def test_questionnaire_lists_versioned_questions(client: TestClient, token: Token) -> None:
    response = client.get(
        f"{BASE}/risicoanalyse/vragenlijst", headers=token(uniek(), ["melder"], gemeente())
    )
    assert response.status_code == 200
    body = response.json()
    assert body["versie"] == 1
    assert len(body["vragen"]) >= 10
    assert set(body["vragen"][0]) == {"code", "vraag", "type", "gewicht"}


def test_without_token_is_401(client: TestClient) -> None:
    response = client.get(f"{BASE}/maatregelen")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
