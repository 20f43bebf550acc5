"""Direct database access for tests that must look past the API (what is stored, and how)."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text

from services.common.db import DatabaseTarget, create_engine_for, database_target
from services.common.settings import ServiceSettings
from tests.conftest import TEST_KEYS, Backend
from tests.support import postgres


async def _run(target: DatabaseTarget, statement: str, params: Mapping[str, Any]) -> list[Any]:
    engine = create_engine_for(target, pool_size=1)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(text(statement), dict(params))
            return list(result.mappings().all()) if result.returns_rows else []
    finally:
        await engine.dispose()


def query(target: DatabaseTarget | Backend, statement: str, **params: Any) -> list[Any]:
    """Run one statement (schema-qualified names: `meldingen.melding`) and return its rows."""
    if isinstance(target, Backend):
        target = target.migrate("meldingen")
    return asyncio.run(_run(target, statement, params))


@contextmanager
def fresh_target(backend: Backend, admin_url: str | None) -> Iterator[DatabaseTarget]:
    """An empty database of the backend's kind, for tests that must not share one."""
    if not backend.is_postgres:
        with tempfile.TemporaryDirectory() as directory:
            settings = ServiceSettings(data_dir=Path(directory), data_keys=TEST_KEYS)
            yield database_target(settings, service="meldingen", schema="meldingen")
        return
    assert admin_url is not None
    url = postgres.create_database(admin_url, prefix="wb_meldingen")
    try:
        settings = ServiceSettings(database_url=url, data_keys=TEST_KEYS)
        yield database_target(settings, service="meldingen", schema="meldingen")
    finally:
        postgres.drop_database(admin_url, url)
