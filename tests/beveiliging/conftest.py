"""Fixtures of the beveiliging tests, on top of the shared ones in tests/conftest.py.

One migrated and seeded database per backend (sqlite, postgres) per session;
tests isolate through unique organisations and subjects.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from services.beveiliging.app import create_app
from services.beveiliging.config import BeveiligingSettings
from services.beveiliging.seed import seed
from services.common.db import DatabaseTarget
from tests.conftest import Backend, DevIdp
from tests.support.orgs import next_org

Token = Callable[..., dict[str, str]]
_GESEED: set[str] = set()


@dataclass
class Omgeving:
    client: TestClient
    target: DatabaseTarget
    backend: str


@pytest.fixture
def omgeving(backend: Backend, service_client: Callable[..., TestClient]) -> Omgeving:
    client = service_client(backend, "beveiliging", create_app, BeveiligingSettings)
    target = backend.target("beveiliging")
    if backend.name not in _GESEED:
        settings = BeveiligingSettings(**backend.settings_kwargs(), env="test")
        asyncio.run(seed(settings, target))
        _GESEED.add(backend.name)
    return Omgeving(client, target, backend.name)


@pytest.fixture
def client(omgeving: Omgeving) -> TestClient:
    return omgeving.client


@pytest.fixture
def token(devidp: DevIdp) -> Token:
    def maak(sub: str, roles: list[str] | tuple[str, ...], org: str | None) -> dict[str, str]:
        return devidp.headers(sub, roles, org)

    return maak


def uniek(prefix: str = "u") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def gemeente() -> str:
    """A municipality code no other beveiliging test uses in this session."""
    return next_org()
