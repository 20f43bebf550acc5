"""Every query on aftercare moments."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.meldingen.melding.models import Melding
from services.meldingen.melding.repository import Bereik, bereik_filter
from services.meldingen.nazorg.models import Nazorgmoment

_ORDER = (col(Nazorgmoment.gepland).desc(), col(Nazorgmoment.id).desc())


def add(session: AsyncSession, *rows: Nazorgmoment) -> None:
    session.add_all(rows)


async def list_for_melding(
    session: AsyncSession, melding_id: uuid.UUID, *, offset: int, limit: int
) -> tuple[int, Sequence[Nazorgmoment]]:
    where = col(Nazorgmoment.melding_id) == melding_id
    count = await session.scalar(select(func.count()).select_from(Nazorgmoment).where(where))
    rows = await session.scalars(
        select(Nazorgmoment).where(where).order_by(*_ORDER).offset(offset).limit(limit)
    )
    return int(count or 0), rows.all()


async def all_for_melding(session: AsyncSession, melding_id: uuid.UUID) -> Sequence[Nazorgmoment]:
    rows = await session.scalars(
        select(Nazorgmoment).where(col(Nazorgmoment.melding_id) == melding_id).order_by(*_ORDER)
    )
    return rows.all()


async def lock(
    session: AsyncSession, melding_id: uuid.UUID, moment_id: uuid.UUID
) -> Nazorgmoment | None:
    result = await session.scalars(
        select(Nazorgmoment)
        .where(col(Nazorgmoment.id) == moment_id, col(Nazorgmoment.melding_id) == melding_id)
        .with_for_update()
    )
    return result.one_or_none()


async def list_in_reach(
    session: AsyncSession,
    *,
    bereik: Bereik,
    niet_van: str,
    verlopen: bool | None,
    now: datetime,
    offset: int,
    limit: int,
) -> tuple[int, Sequence[Nazorgmoment]]:
    """Moments of meldingen in a handler's reach, never of the handler's own meldingen."""
    conditions: list[ColumnElement[bool]] = [
        bereik_filter(bereik),
        (col(Melding.melder).is_(None)) | (col(Melding.melder) != niet_van),
    ]
    overdue = and_(col(Nazorgmoment.uitgevoerd).is_(False), col(Nazorgmoment.gepland) < now)
    if verlopen is True:
        conditions.append(overdue)
    elif verlopen is False:
        conditions.append(~overdue)
    where = and_(*conditions)
    joined = select(Nazorgmoment).join(Melding, col(Melding.id) == col(Nazorgmoment.melding_id))
    count = await session.scalar(
        select(func.count())
        .select_from(Nazorgmoment)
        .join(Melding, col(Melding.id) == col(Nazorgmoment.melding_id))
        .where(where)
    )
    rows = await session.scalars(joined.where(where).order_by(*_ORDER).offset(offset).limit(limit))
    return int(count or 0), rows.all()
