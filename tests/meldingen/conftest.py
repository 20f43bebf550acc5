"""Fixtures of the meldingen tests: a client per backend, a valid melding body, a scene."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from tests.conftest import Backend, DevIdp

BASE = "/api/meldingen/v1"


@pytest.fixture
def client(backend: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    return service_client(backend, "meldingen", create_app, MeldingenSettings)


def melding_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "gedragstype": "frustratie_agressie",
        "vormen": ["verbaal", "bedreiging"],
        "omschrijving": "Een bezoeker dreigde aan de balie mijn auto te vernielen.",
        "datumVoorval": "2026-11-20T21:30:00+01:00",
        "functie": "wethouder",
    }
    body.update(overrides)
    return body


def report(client: TestClient, headers: dict[str, str], **overrides: Any) -> str:
    """Create a melding with `melding_body(**overrides)`; its id."""
    response = client.post(f"{BASE}/meldingen", json=melding_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    melding_id: str = response.json()["id"]
    return melding_id


@dataclass(frozen=True)
class Scene:
    """One melding in a fresh organisation, with its melder and a handler of that organisation."""

    org: str
    melder: dict[str, str]
    handler: dict[str, str]
    id: str

    def url(self, suffix: str = "") -> str:
        return f"{BASE}/meldingen/{self.id}{suffix}"


@pytest.fixture
def scene(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> Scene:
    org = unique_org()
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    handler = devidp.headers(unique_sub("handler"), ["behandelaar"], org)
    return Scene(org, melder, handler, report(client, melder))
