"""Every query on stored events."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.notificaties.gebeurtenis.models import Gebeurtenis


async def exists(session: AsyncSession, gebeurtenis_id: uuid.UUID) -> bool:
    result = await session.execute(
        select(col(Gebeurtenis.id)).where(col(Gebeurtenis.id) == gebeurtenis_id)
    )
    return result.first() is not None


async def next_volgnummer(session: AsyncSession) -> int:
    result = await session.execute(select(func.max(col(Gebeurtenis.volgnummer))))
    return int(result.scalar_one() or 0) + 1


async def get(session: AsyncSession, gebeurtenis_id: uuid.UUID) -> Gebeurtenis | None:
    return await session.get(Gebeurtenis, gebeurtenis_id)


def add(session: AsyncSession, gebeurtenis: Gebeurtenis) -> None:
    session.add(gebeurtenis)
