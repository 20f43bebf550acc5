"""The security regression suite (OWASP API Security Top 10, 2023): shared pieces.

`SERVICES` names each service's app factory; `documented_operations` reads the operations a
service documents from its own openapi.json, so checks cover new endpoints without edits.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import Scene
from tests.security.meldingen_scene import meldingen_client, new_scene

SECURITY_HEADERS = {
    "cache-control": "no-store",
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}


@dataclass(frozen=True)
class ServiceInfo:
    name: str
    app_module: str
    settings_path: str

    @property
    def base(self) -> str:
        return f"/api/{self.name}/v1"

    def factory(self) -> tuple[Callable[..., FastAPI], type]:
        create_app = importlib.import_module(self.app_module).create_app
        module, _, cls = self.settings_path.rpartition(".")
        return create_app, getattr(importlib.import_module(module), cls)


SERVICES = (
    ServiceInfo(
        "meldingen", "services.meldingen.app", "services.meldingen.config.MeldingenSettings"
    ),
    ServiceInfo(
        "beveiliging", "services.beveiliging.app", "services.beveiliging.config.BeveiligingSettings"
    ),
    ServiceInfo(
        "kennisbank", "services.kennisbank.app", "services.kennisbank.config.KennisbankSettings"
    ),
)
SERVICE_IDS = [s.name for s in SERVICES]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # full path with the base, parameters as written in the document
    spec: dict[str, Any]

    @property
    def has_body(self) -> bool:
        return "requestBody" in self.spec

    def query_names(self) -> set[str]:
        return {p["name"] for p in self.spec.get("parameters", []) if p.get("in") == "query"}

    def filled(self, value: str) -> str:
        return re.sub(r"\{[^}]+\}", value, self.path)


def documented_operations(client: TestClient, service: ServiceInfo) -> list[Operation]:
    document = client.get(f"{service.base}/openapi.json").json()
    base = document["servers"][0]["url"]
    return [
        Operation(method.upper(), base + path, spec)
        for path, item in document["paths"].items()
        for method, spec in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


@pytest.fixture(params=SERVICES, ids=SERVICE_IDS)
def service(request: pytest.FixtureRequest) -> ServiceInfo:
    info: ServiceInfo = request.param
    return info


@pytest.fixture
def app_client(
    backend: Backend, service: ServiceInfo, service_client: Callable[..., TestClient]
) -> TestClient:
    create_app, settings = service.factory()
    return service_client(backend, service.name, create_app, settings)


@pytest.fixture(scope="session")
def sqlite_only(tmp_path_factory: pytest.TempPathFactory) -> Backend:
    """Checks that do not depend on the database run once, on a SQLite backend of their own."""
    return Backend("security-sqlite", tmp_path_factory.mktemp("security"))


@pytest.fixture
def plain_client(
    sqlite_only: Backend, service: ServiceInfo, service_client: Callable[..., TestClient]
) -> TestClient:
    create_app, settings = service.factory()
    return service_client(sqlite_only, service.name, create_app, settings)


# The meldingen scene of the hardening tests (test_api3_*, test_api8_bad_input_500): a
# module that defines its own `client` (another service's) overrides these.
@pytest.fixture
def client(backend: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    return meldingen_client(backend, service_client)


@pytest.fixture
def scene(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> Scene:
    return new_scene(client, devidp, unique_sub, unique_org)
