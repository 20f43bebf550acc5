"""Fixtures of the notificaties tests: a client per backend and callers of every kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.notificaties.app import create_app
from services.notificaties.config import NotificatiesSettings
from tests.conftest import Backend

BASE = "/api/notificaties/v1"
CALLBACK = "http://localhost:9/webhook"
MELDINGEN = "nl.weerbaarbestuur.meldingen.*"


@pytest.fixture
def client(backend: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    # No worker: these tests look at the API alone.
    return service_client(
        backend,
        "notificaties",
        create_app,
        NotificatiesSettings,
        worker=False,
        webhook_allowed_hosts=("localhost",),
    )


def abonnement_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"callbackUrl": CALLBACK, "types": [MELDINGEN]}
    body.update(overrides)
    return body
