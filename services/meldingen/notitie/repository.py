"""Every query on notes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.meldingen.notitie.models import Notitie


async def list_notities(
    session: AsyncSession,
    melding_id: uuid.UUID,
    *,
    alleen_zichtbaar: bool,
    offset: int,
    limit: int,
) -> tuple[int, Sequence[Notitie]]:
    conditions: list[ColumnElement[bool]] = [col(Notitie.melding_id) == melding_id]
    if alleen_zichtbaar:
        conditions.append(col(Notitie.zichtbaar_voor_melder).is_(True))
    where = and_(*conditions)
    count = await session.scalar(select(func.count()).select_from(Notitie).where(where))
    rows = await session.scalars(
        select(Notitie)
        .where(where)
        .order_by(col(Notitie.aangemaakt_op).desc(), col(Notitie.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return int(count or 0), rows.all()


def add(session: AsyncSession, notitie: Notitie) -> None:
    session.add(notitie)
