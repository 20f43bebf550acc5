"""Where the tests find PostgreSQL, and throwaway databases inside it.

Order: WEERBAAR_TEST_DATABASE_URL, else a testcontainers PostgreSQL when a Docker engine is
present, else skip with the reason printed — or fail under WEERBAAR_REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import make_url

REQUIRE = os.environ.get("WEERBAAR_REQUIRE_POSTGRES") == "1"


def _docker_available() -> bool:
    return shutil.which("docker") is not None and (
        os.path.exists("/var/run/docker.sock") or bool(os.environ.get("DOCKER_HOST"))
    )


def unavailable(reason: str) -> None:
    if REQUIRE:
        pytest.fail(f"PostgreSQL is required (WEERBAAR_REQUIRE_POSTGRES=1): {reason}")
    print(f"\nskipping PostgreSQL tests: {reason}")
    pytest.skip(f"PostgreSQL unavailable: {reason}")


@contextmanager
def admin_url() -> Iterator[str]:
    """A superuser URL (plain postgresql://) for creating databases and roles."""
    configured = os.environ.get("WEERBAAR_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    if not _docker_available():
        unavailable("WEERBAAR_TEST_DATABASE_URL is not set and no Docker engine is present")
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer("postgres:15-alpine", driver=None) as container:
        yield container.get_connection_url()


def _dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def _execute(url: str, *statements: str) -> None:
    connection = await asyncpg.connect(_dsn(url))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def check_reachable(url: str) -> None:
    try:
        asyncio.run(_execute(url, "SELECT 1"))
    except (OSError, asyncpg.PostgresError) as exc:
        unavailable(f"cannot connect to {make_url(url).host}: {type(exc).__name__}")


def create_database(url: str, prefix: str = "wb_test") -> str:
    """A new empty database; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    asyncio.run(_execute(url, f'CREATE DATABASE "{name}"'))
    return _dsn(url, name)


def drop_database(url: str, database_url: str) -> None:
    name = make_url(database_url).database
    asyncio.run(_execute(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
