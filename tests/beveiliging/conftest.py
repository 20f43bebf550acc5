"""Fixtures of the beveiliging tests: a dev issuer process, the app on both databases, tokens.

Stand-in until the shared fixtures of tests/conftest.py land, with the same
shape: a `backend` parameter (sqlite, postgres) and tokens per sub/roles/org.
Each backend gets a fresh database, migrated once; tests isolate by unique
organisations and subjects.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from services.beveiliging.app import create_app
from services.beveiliging.config import BeveiligingSettings
from services.beveiliging.seed import seed
from services.common.crypto import generate_key_spec
from services.common.db import DatabaseTarget
from services.common.migrations import upgrade
from tests.support.processes import RunningProcess, free_port, start_process

PG_ADMIN = os.environ.get("WEERBAAR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ["sqlite", "postgres"]

Token = Callable[..., dict[str, str]]


@dataclass
class Omgeving:
    client: TestClient
    target: DatabaseTarget
    settings: BeveiligingSettings
    backend: str


@pytest.fixture(scope="session")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProcess]:
    data = tmp_path_factory.mktemp("devidp")
    port = free_port()  # the issuer URL must name its own port
    process = start_process(
        "devidp",
        ["devidp", "serve"],
        env={
            "WEERBAAR_DATA_DIR": str(data),
            "WEERBAAR_OIDC_ISSUER": f"http://127.0.0.1:{port}",
            "WEERBAAR_ENV": "test",
        },
        log_dir=data,
        port=port,
    )
    yield process
    process.stop()


@pytest.fixture(scope="session")
def token(issuer: RunningProcess) -> Token:
    cache: dict[tuple[str, tuple[str, ...], str | None], dict[str, str]] = {}

    def maak(sub: str, roles: list[str] | tuple[str, ...], org: str | None) -> dict[str, str]:
        key = (sub, tuple(roles), org)
        if key not in cache:
            body = {"sub": sub, "roles": list(roles), "org": org, "name": sub}
            response = httpx.post(f"{issuer.url}/dev/token", json=body, timeout=10)
            response.raise_for_status()
            cache[key] = {"Authorization": f"Bearer {response.json()['access_token']}"}
        return cache[key]

    return maak


async def _pg(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def database(backend: str, tmp: Path) -> tuple[DatabaseTarget, Callable[[], None]]:
    if backend == "sqlite":
        url = make_url(f"sqlite+aiosqlite:///{tmp / 'beveiliging.db'}")
        return DatabaseTarget(url, "beveiliging"), lambda: None
    naam = f"bev_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg(f'CREATE DATABASE "{naam}"'))
    url = make_url(PG_ADMIN).set(drivername="postgresql+asyncpg", database=naam)

    def drop() -> None:
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))

    return DatabaseTarget(url, "beveiliging"), drop


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def omgeving(
    backend: str, issuer: RunningProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Omgeving]:
    tmp = tmp_path_factory.mktemp(f"beveiliging-{backend}")
    target, drop = database(backend, tmp)
    settings = BeveiligingSettings(
        env="test",  # type: ignore[arg-type]
        data_dir=tmp,
        oidc_issuer=issuer.url,
        data_keys=generate_key_spec("test1"),
    )
    upgrade("beveiliging", target)
    asyncio.run(seed(settings, target))
    app = create_app(settings, target)
    with TestClient(app, base_url="http://testserver") as client:
        yield Omgeving(client, target, settings, backend)
    drop()


@pytest.fixture
def client(omgeving: Omgeving) -> TestClient:
    return omgeving.client


def uniek(prefix: str = "u") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def gemeente() -> str:
    """A fresh municipality code, so tests do not see each other's rows."""
    return f"GM{uuid.uuid4().int % 10_000:04d}"
