"""Fixtures of the meldingen tests: a client per backend and a valid melding body."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from tests.conftest import Backend


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
