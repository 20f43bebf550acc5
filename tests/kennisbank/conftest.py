"""Fixtures of the kennisbank tests: a client per backend, editors and other callers."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.kennisbank.app import create_app
from services.kennisbank.config import KennisbankSettings
from tests.conftest import Backend, DevIdp
from tests.support import postgres

BASE = "/api/kennisbank/v1"


@pytest.fixture
def eigen_database(
    backend: Backend, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A kennisbank database of its own, for a test that migrates and seeds it itself: other
    tests' articles play no part."""
    if not backend.is_postgres:
        yield f"sqlite:///{tmp_path / 'kennisbank.db'}"
        return
    admin = request.getfixturevalue("postgres_admin_url")
    url = postgres.create_database(admin, prefix="wb_kb_eigen")
    try:
        yield url
    finally:
        postgres.drop_database(admin, url)


@pytest.fixture
def client(backend: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    return service_client(backend, "kennisbank", create_app, KennisbankSettings)


@pytest.fixture
def redacteur(devidp: DevIdp) -> dict[str, str]:
    return devidp.headers("redacteur-1", ["redacteur"], "OWB")


def uniek() -> str:
    """A word no other test's article holds: isolates search tests in a shared database."""
    return "zx" + uuid.uuid4().hex[:10].translate(str.maketrans("0123456789", "ghijklmnop"))


def artikel_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "titel": "Wat te doen na een dreigbrief",
        "samenvatting": "Een korte handreiking na een bedreiging per brief.",
        "inhoud": "## Eerst\n\nBewaar de brief en doe **aangifte**.\n",
        "themas": ["aangifte"],
        "doelgroepen": ["politieke_ambtsdragers"],
        "type": "handreiking",
    }
    body.update(overrides)
    return body


def publiceer(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    created = client.post(f"{BASE}/artikelen", json=artikel_body(**overrides), headers=headers)
    assert created.status_code == 201, created.text
    slug = created.json()["slug"]
    published = client.post(
        f"{BASE}/artikelen/{slug}/statuswijzigingen",
        json={"status": "gepubliceerd"},
        headers=headers,
    )
    assert published.status_code == 201, published.text
    body: dict[str, Any] = published.json()
    return body
