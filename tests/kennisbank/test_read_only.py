"""Every field the server sets is 400 `read_only` when a client sends it, never silently
dropped and never `unknown_field`: on create and on patch, whatever the value (null too).

The fields are read from the OpenAPI document (what ArtikelOut shows minus what ArtikelCreate
takes), so a new server-set field that is not declared ReadOnly fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.kennisbank.conftest import BASE, artikel_body


def _server_fields(client: TestClient) -> list[str]:
    schemas = client.get(f"{BASE}/openapi.json").json()["components"]["schemas"]
    shown = set(schemas["ArtikelOut"]["properties"])
    taken = set(schemas["ArtikelCreate"]["properties"])
    return sorted(shown - taken)


def test_the_server_sets_what_the_contract_says(client: TestClient) -> None:
    assert _server_fields(client) == [
        "aangemaaktOp",
        "gepubliceerdOp",
        "gewijzigdOp",
        "id",
        "inhoudHtml",
        "slug",
        "status",
        "versie",
    ]


@pytest.mark.parametrize("value", ["x", None, 1])
def test_server_set_fields_are_read_only_on_create_and_patch(
    client: TestClient, redacteur: dict[str, str], value: Any
) -> None:
    slug = client.post(f"{BASE}/artikelen", json=artikel_body(), headers=redacteur).json()["slug"]
    for field in _server_fields(client):
        created = client.post(
            f"{BASE}/artikelen", json={**artikel_body(), field: value}, headers=redacteur
        )
        assert created.status_code == 400, (field, created.text)
        assert [(p["name"], p["code"]) for p in created.json()["invalidParams"]] == [
            (field, "read_only")
        ]
        patched = client.patch(
            f"{BASE}/artikelen/{slug}", json={"titel": "Nieuw", field: value}, headers=redacteur
        )
        assert patched.status_code == 400, (field, patched.text)
        assert [(p["name"], p["code"]) for p in patched.json()["invalidParams"]] == [
            (field, "read_only")
        ]
    assert client.get(f"{BASE}/artikelen/{slug}", headers=redacteur).json()["versie"] == 1
