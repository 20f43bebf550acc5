"""Shared fixtures: the dev identity provider, the two database backends, service clients.

Every database test runs on SQLite and on PostgreSQL (the `backend` fixture). Tests isolate
through unique organisations and subjects (`unique_org`, `unique_sub`) instead of cleaning
up, so one migrated database serves a whole session per backend.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.common.crypto import generate_key_spec
from services.common.db import DatabaseTarget, database_target
from services.common.migrations import upgrade
from services.common.settings import ServiceSettings
from tests.support import postgres
from tests.support.orgs import next_org
from tests.support.processes import RunningProcess, start_process

# The session nats-server (tests/support/nats.py), for every test that needs JetStream.
pytest_plugins = ["tests.support.nats"]

TEST_KEYS = generate_key_spec("test-2") + "," + generate_key_spec("test-1")
# A port nothing listens on (discard): relays there back off quietly, nothing leaves the test.
NO_NATS = "nats://127.0.0.1:9"


@dataclass
class DevIdp:
    process: RunningProcess
    _cache: dict[tuple[Any, ...], str] = field(default_factory=dict)

    @property
    def issuer(self) -> str:
        return self.process.url

    def token(
        self,
        sub: str,
        roles: list[str] | tuple[str, ...] = ("melder",),
        org: str | None = "GM0363",
        name: str | None = None,
    ) -> str:
        key = (sub, tuple(roles), org, name)
        if key not in self._cache:
            response = httpx.post(
                f"{self.issuer}/dev/token",
                json={"sub": sub, "roles": list(roles), "org": org, "name": name},
                timeout=10,
            )
            response.raise_for_status()
            self._cache[key] = response.json()["access_token"]
        return self._cache[key]

    def headers(
        self, sub: str, roles: list[str] | tuple[str, ...] = ("melder",), org: str | None = "GM0363"
    ) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(sub, roles, org)}"}


@pytest.fixture(scope="session")
def devidp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevIdp]:
    data_dir = tmp_path_factory.mktemp("devidp")
    from tests.support.processes import free_port

    port = free_port()
    process = start_process(
        "devidp",
        ["devidp", "serve"],
        env={
            "WEERBAAR_DATA_DIR": str(data_dir),
            "WEERBAAR_OIDC_ISSUER": f"http://127.0.0.1:{port}",
        },
        log_dir=data_dir,
        port=port,
    )
    yield DevIdp(process)
    process.stop()


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    with postgres.admin_url() as url:
        postgres.check_reachable(url)
        yield url


@dataclass
class Backend:
    """One database backend for a whole test session: SQLite files or a fresh PG database."""

    name: str
    data_dir: Path
    database_url: str | None = None
    migrated: set[str] = field(default_factory=set)

    @property
    def is_postgres(self) -> bool:
        return self.database_url is not None

    def env(self) -> dict[str, str]:
        env = {
            "WEERBAAR_DATA_DIR": str(self.data_dir),
            "WEERBAAR_DATA_KEYS": TEST_KEYS,
            # Never a developer's `make run` NATS: tests that need events pass their own.
            "WEERBAAR_NATS_URL": NO_NATS,
        }
        if self.database_url:
            env["WEERBAAR_DATABASE_URL"] = self.database_url
        return env

    def settings_kwargs(self) -> dict[str, Any]:
        return {
            "data_dir": self.data_dir,
            "database_url": self.database_url,
            "data_keys": TEST_KEYS,
            "nats_url": NO_NATS,
        }

    def target(self, service: str, schema: str | None = None) -> DatabaseTarget:
        settings = ServiceSettings(**self.settings_kwargs())
        return database_target(settings, service=service, schema=schema or service)

    def migrate(self, service: str, schema: str | None = None) -> DatabaseTarget:
        target = self.target(service, schema)
        if service not in self.migrated:
            upgrade(service, target)
            self.migrated.add(service)
        return target


@pytest.fixture(scope="session")
def postgres_backend(
    postgres_admin_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    """PostgreSQL alone, for what SQLite cannot show (concurrency, database roles)."""
    database_url = postgres.create_database(postgres_admin_url)
    try:
        yield Backend("postgres", tmp_path_factory.mktemp("backend-postgres"), database_url)
    finally:
        postgres.drop_database(postgres_admin_url, database_url)


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Backend:
    if request.param == "sqlite":
        return Backend("sqlite", tmp_path_factory.mktemp("backend-sqlite"))
    postgres_one: Backend = request.getfixturevalue("postgres_backend")
    return postgres_one


@pytest.fixture
def unique_org() -> Callable[[], str]:
    """A municipality code no other test uses in this session."""
    return next_org


@pytest.fixture
def unique_sub() -> Callable[[str], str]:
    return lambda prefix="user": f"{prefix}-{uuid.uuid4().hex[:10]}"


ClientFactory = Callable[..., TestClient]


@pytest.fixture(scope="session")
def service_client(devidp: DevIdp) -> Iterator[Callable[..., TestClient]]:
    """`service_client(backend, "meldingen", create_app, SettingsClass, **overrides)`.

    One migrated database and one running app per (backend, service, overrides) per session.
    """
    clients: dict[tuple[Any, ...], TestClient] = {}

    def make(
        backend: Backend,
        service: str,
        create_app: Callable[..., FastAPI],
        settings_class: type[ServiceSettings],
        **overrides: Any,
    ) -> TestClient:
        key = (backend.name, service, tuple(sorted(overrides.items())))
        if key not in clients:
            target = backend.migrate(service)
            settings = settings_class(
                **{
                    **backend.settings_kwargs(),
                    "oidc_issuer": devidp.issuer,
                    "env": "test",
                    **overrides,
                }
            )
            client = TestClient(create_app(settings, target), base_url="http://testserver")
            client.__enter__()
            clients[key] = client
        return clients[key]

    yield make
    for client in clients.values():
        client.__exit__(None, None, None)
