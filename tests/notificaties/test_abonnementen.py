"""Subscriptions: CRUD, ownership (others 404), validation, and the secret shown only once."""

from __future__ import annotations

import asyncio
import base64
import sqlite3
import uuid
from collections.abc import Callable

import asyncpg
import pytest
from fastapi.testclient import TestClient

from tests.conftest import Backend, DevIdp
from tests.notificaties.conftest import BASE, MELDINGEN, abonnement_body


@pytest.fixture
def eigenaar(devidp: DevIdp, unique_sub: Callable[[str], str]) -> dict[str, str]:
    return devidp.headers(unique_sub("gm-behandelaar"), ["behandelaar"], "GM0363")


def _maak(client: TestClient, headers: dict[str, str], **overrides: object) -> dict[str, object]:
    response = client.post(
        f"{BASE}/abonnementen", json=abonnement_body(**overrides), headers=headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_create_answers_201_with_a_standard_webhooks_secret(
    client: TestClient, eigenaar: dict[str, str]
) -> None:
    response = client.post(
        f"{BASE}/abonnementen",
        json=abonnement_body(organisaties=["GM0363"]),
        headers=eigenaar,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["Location"].endswith(f"/abonnementen/{body['id']}")
    assert response.headers["API-Version"] == "1.0.0"
    secret = body["secret"]
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32
    assert body["types"] == ["nl.weerbaarbestuur.meldingen.*"]
    assert body["organisaties"] == ["GM0363"]
    assert body["actief"] is True
    assert body["vorigSecretGeldigTot"] is None


def test_secret_never_again_in_get_list_or_patch(
    client: TestClient, eigenaar: dict[str, str]
) -> None:
    body = _maak(client, eigenaar)
    secret = str(body["secret"])
    url = f"{BASE}/abonnementen/{body['id']}"
    for response in (
        client.get(url, headers=eigenaar),
        client.get(f"{BASE}/abonnementen", headers=eigenaar),
        client.patch(url, json={"actief": False}, headers=eigenaar),
    ):
        assert response.status_code == 200, response.text
        assert secret not in response.text
        assert 'secret"' not in response.text


def test_secret_stored_encrypted_never_in_plaintext(
    client: TestClient, eigenaar: dict[str, str], backend: Backend
) -> None:
    body = _maak(client, eigenaar)
    secret = str(body["secret"])
    rotated = client.post(f"{BASE}/abonnementen/{body['id']}/secret-vernieuwen", headers=eigenaar)
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    dump = _database_dump(backend)
    raw = secret.removeprefix("whsec_")
    new_raw = new_secret.removeprefix("whsec_")
    assert uuid.UUID(str(body["id"])).hex in dump.replace("-", "")  # the dump sees the row
    assert raw not in dump
    assert new_raw not in dump


def _database_dump(backend: Backend) -> str:
    """Everything the database holds for notificaties, as text."""
    if backend.is_postgres:
        assert backend.database_url
        return asyncio.run(_postgres_dump(backend.database_url))
    with sqlite3.connect(backend.target("notificaties").schema_file) as connection:
        return "\n".join(connection.iterdump())


async def _postgres_dump(url: str) -> str:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch("SELECT row_to_json(a)::text FROM notificaties.abonnement a")
    finally:
        await connection.close()
    return "\n".join(str(row[0]) for row in rows)


def test_other_callers_get_404_for_someone_elses_subscription(
    client: TestClient, eigenaar: dict[str, str], devidp: DevIdp, unique_sub: Callable[[str], str]
) -> None:
    body = _maak(client, eigenaar)
    url = f"{BASE}/abonnementen/{body['id']}"
    # Same role and organisation, another person: still not theirs.
    ander = devidp.headers(unique_sub("collega"), ["behandelaar"], "GM0363")
    assert client.get(url, headers=ander).status_code == 404
    assert client.patch(url, json={"actief": False}, headers=ander).status_code == 404
    assert client.delete(url, headers=ander).status_code == 404
    assert client.post(f"{url}/secret-vernieuwen", headers=ander).status_code == 404
    listed = client.get(f"{BASE}/abonnementen", headers=ander).json()
    assert listed["count"] == 0
    assert listed["results"] == []
    assert client.get(url, headers=eigenaar).status_code == 200


def test_list_pages_newest_first(client: TestClient, eigenaar: dict[str, str]) -> None:
    ids = [_maak(client, eigenaar)["id"] for _ in range(3)]
    page = client.get(f"{BASE}/abonnementen?pageSize=2", headers=eigenaar).json()
    assert page["count"] == 3
    assert [r["id"] for r in page["results"]] == ids[::-1][:2]
    assert page["next"]
    assert page["previous"] is None
    assert client.get(f"{BASE}/abonnementen?pageSize=101", headers=eigenaar).status_code == 400


def test_patch_and_delete(client: TestClient, eigenaar: dict[str, str]) -> None:
    body = _maak(client, eigenaar, organisaties=["GM0363"])
    url = f"{BASE}/abonnementen/{body['id']}"
    changed = client.patch(
        url,
        json={
            "types": ["nl.weerbaarbestuur.kennisbank.artikel-gepubliceerd"],
            "organisaties": None,
            "actief": False,
        },
        headers=eigenaar,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["types"] == ["nl.weerbaarbestuur.kennisbank.artikel-gepubliceerd"]
    assert changed.json()["organisaties"] is None
    assert changed.json()["actief"] is False
    assert client.delete(url, headers=eigenaar).status_code == 204
    assert client.get(url, headers=eigenaar).status_code == 404


def test_anonymous_caller_gets_401(client: TestClient) -> None:
    response = client.post(f"{BASE}/abonnementen", json=abonnement_body())
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("body", "name", "code"),
    [
        ({"types": ["nl.weerbaarbestuur.meldingen.*"]}, "callbackUrl", "required"),
        (abonnement_body(types=[]), "types", "min_items"),
        (abonnement_body(types=["nl.weerbaarbestuur.onbekend.*"]), "types", "enum"),
        (abonnement_body(types=["nl.weerbaarbestuur.meldingen.melding-weg"]), "types", "enum"),
        (abonnement_body(types=["*"]), "types", "enum"),
        (abonnement_body(types=[MELDINGEN, MELDINGEN]), "types", "unique"),
        (abonnement_body(organisaties=["Amsterdam"]), "organisaties.0", "pattern"),
        (abonnement_body(secret="whsec_zelfgekozen"), "secret", "read_only"),
        (abonnement_body(extra=1), "extra", "unknown_field"),
    ],
)
def test_invalid_body_is_400_naming_the_field(
    client: TestClient, eigenaar: dict[str, str], body: dict[str, object], name: str, code: str
) -> None:
    response = client.post(f"{BASE}/abonnementen", json=body, headers=eigenaar)
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"].startswith("application/problem+json")
    params = response.json()["invalidParams"]
    assert {"name": name, "code": code} in [{"name": p["name"], "code": p["code"]} for p in params]


def test_empty_patch_is_400(client: TestClient, eigenaar: dict[str, str]) -> None:
    body = _maak(client, eigenaar)
    response = client.patch(f"{BASE}/abonnementen/{body['id']}", json={}, headers=eigenaar)
    assert response.status_code == 400


def test_client_credentials_partner_owns_its_subscription(
    client: TestClient, devidp: DevIdp
) -> None:
    import httpx

    token = httpx.post(
        f"{devidp.issuer}/token",
        data={"grant_type": "client_credentials"},
        auth=("partner-demo", "partner-demo-secret"),
        timeout=10,
    )
    assert token.status_code == 200, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    body = _maak(client, headers)
    assert client.get(f"{BASE}/abonnementen/{body['id']}", headers=headers).status_code == 200
