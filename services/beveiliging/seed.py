"""Idempotent seed: the measure catalogue."""

from __future__ import annotations

from services.beveiliging.config import BeveiligingSettings
from services.beveiliging.db import SCHEMA
from services.beveiliging.maatregel import service as maatregelen
from services.common.db import DatabaseTarget, create_engine_for, database_target, session_factory


async def seed(settings: BeveiligingSettings, target: DatabaseTarget | None = None) -> int:
    """Add the catalogue's missing measures; returns how many were added."""
    engine = create_engine_for(
        target or database_target(settings, service="beveiliging", schema=SCHEMA), pool_size=1
    )
    try:
        async with session_factory(engine)() as session:
            toegevoegd = await maatregelen.seed(session=session)
            await session.commit()
            return toegevoegd
    finally:
        await engine.dispose()
