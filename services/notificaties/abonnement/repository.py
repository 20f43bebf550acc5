"""Every query on subscriptions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.notificaties.abonnement.models import Abonnement


async def get_own(
    session: AsyncSession, abonnement_id: uuid.UUID, eigenaar: str
) -> Abonnement | None:
    result = await session.execute(
        select(Abonnement).where(
            col(Abonnement.id) == abonnement_id, col(Abonnement.eigenaar) == eigenaar
        )
    )
    return result.scalar_one_or_none()


async def get(session: AsyncSession, abonnement_id: uuid.UUID) -> Abonnement | None:
    return await session.get(Abonnement, abonnement_id)


async def count_own(session: AsyncSession, eigenaar: str) -> int:
    result = await session.execute(
        select(func.count()).select_from(Abonnement).where(col(Abonnement.eigenaar) == eigenaar)
    )
    return int(result.scalar_one())


async def list_own(
    session: AsyncSession, eigenaar: str, *, offset: int, limit: int
) -> Sequence[Abonnement]:
    result = await session.execute(
        select(Abonnement)
        .where(col(Abonnement.eigenaar) == eigenaar)
        .order_by(col(Abonnement.aangemaakt_op).desc(), col(Abonnement.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return result.scalars().all()


async def list_active(session: AsyncSession) -> Sequence[Abonnement]:
    result = await session.execute(select(Abonnement).where(col(Abonnement.actief).is_(True)))
    return result.scalars().all()


def add(session: AsyncSession, abonnement: Abonnement) -> None:
    session.add(abonnement)


async def delete(session: AsyncSession, abonnement: Abonnement) -> None:
    await session.delete(abonnement)
