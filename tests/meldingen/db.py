"""Direct database access for tests that must look past the API (what is stored, and how)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from sqlalchemy import text

from services.common.db import DatabaseTarget, create_engine_for
from tests.conftest import Backend


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
