"""Every query on the access log. There is no update and no delete here, by design."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.meldingen.inzage.models import Inzage


def add(session: AsyncSession, inzage: Inzage) -> None:
    session.add(inzage)


async def list_inzages(
    session: AsyncSession, melding_id: uuid.UUID, *, offset: int, limit: int
) -> tuple[int, Sequence[Inzage]]:
    where = col(Inzage.melding_id) == melding_id
    count = await session.scalar(select(func.count()).select_from(Inzage).where(where))
    rows = await session.scalars(
        select(Inzage)
        .where(where)
        .order_by(col(Inzage.tijdstip).desc(), col(Inzage.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return int(count or 0), rows.all()


async def all_for_melding(session: AsyncSession, melding_id: uuid.UUID) -> Sequence[Inzage]:
    rows = await session.scalars(
        select(Inzage)
        .where(col(Inzage.melding_id) == melding_id)
        .order_by(col(Inzage.tijdstip).desc(), col(Inzage.id).desc())
    )
    return rows.all()
