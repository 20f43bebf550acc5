"""Every query on stored events."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.notificaties.aflevering.models import Aflevering, Poging
from services.notificaties.aflevering.states import OPEN
from services.notificaties.gebeurtenis.models import Gebeurtenis


async def existing_ids(
    session: AsyncSession, gebeurtenis_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these ids are stored already (one query for a consumer's batch)."""
    if not gebeurtenis_ids:
        return set()
    result = await session.execute(
        select(col(Gebeurtenis.id)).where(col(Gebeurtenis.id).in_(list(gebeurtenis_ids)))
    )
    return set(result.scalars().all())


async def next_volgnummer(session: AsyncSession) -> int:
    result = await session.execute(select(func.max(col(Gebeurtenis.volgnummer))))
    return int(result.scalar_one() or 0) + 1


async def get(session: AsyncSession, gebeurtenis_id: uuid.UUID) -> Gebeurtenis | None:
    return await session.get(Gebeurtenis, gebeurtenis_id)


def add(session: AsyncSession, gebeurtenis: Gebeurtenis) -> None:
    session.add(gebeurtenis)


async def delete_before(session: AsyncSession, moment: datetime) -> int:
    """Events received before `moment` with no open delivery, with their deliveries and log."""
    open_ids = select(col(Aflevering.gebeurtenis_id)).where(col(Aflevering.status).in_(OPEN))
    old = (
        select(col(Gebeurtenis.id))
        .where(col(Gebeurtenis.ontvangen_op) < moment, col(Gebeurtenis.id).not_in(open_ids))
        .limit(1000)
    )
    ids = list((await session.execute(old)).scalars().all())
    if not ids:
        return 0
    aflevering_ids = select(col(Aflevering.id)).where(col(Aflevering.gebeurtenis_id).in_(ids))
    await session.execute(delete(Poging).where(col(Poging.aflevering_id).in_(aflevering_ids)))
    await session.execute(delete(Aflevering).where(col(Aflevering.gebeurtenis_id).in_(ids)))
    await session.execute(delete(Gebeurtenis).where(col(Gebeurtenis.id).in_(ids)))
    return len(ids)
