"""Every query on measures per person."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.beveiliging.beveiligingsmaatregel.models import Beveiligingsmaatregel
from services.beveiliging.reach import in_bereik_clause
from services.common.principal import Principal

_M = Beveiligingsmaatregel


async def get(session: AsyncSession, maatregel_id: uuid.UUID) -> Beveiligingsmaatregel | None:
    return await session.get(_M, maatregel_id)


async def lijst_in_bereik(
    session: AsyncSession,
    caller: Principal,
    *,
    status: str | None,
    betreft: str | None,
    woningscan_id: uuid.UUID | None,
    verloopt_voor: date | None,
    open_statussen: Sequence[str],
    offset: int,
    limit: int,
) -> tuple[int, Sequence[Beveiligingsmaatregel]]:
    filters: list[Any] = [
        in_bereik_clause(caller, organisatie=col(_M.organisatie), personen=(col(_M.betreft),))
    ]
    if status is not None:
        filters.append(col(_M.status) == status)
    if betreft is not None:
        filters.append(col(_M.betreft) == betreft)
    if woningscan_id is not None:
        filters.append(col(_M.woningscan_id) == woningscan_id)
    if verloopt_voor is not None:
        filters += [col(_M.einddatum) < verloopt_voor, col(_M.status).in_(list(open_statussen))]
    count = await session.scalar(select(func.count()).select_from(_M).where(*filters))
    order = (
        (col(_M.einddatum), col(_M.id))
        if verloopt_voor is not None
        else (col(_M.aangemaakt_op).desc(), col(_M.id).desc())
    )
    rows = await session.scalars(
        select(_M).where(*filters).order_by(*order).offset(offset).limit(limit)
    )
    return int(count or 0), rows.all()


async def van_pakket(
    session: AsyncSession, pakket_id: uuid.UUID
) -> Sequence[Beveiligingsmaatregel]:
    rows = await session.scalars(
        select(_M).where(col(_M.veiligheidspakket_id) == pakket_id).order_by(col(_M.maatregel))
    )
    return rows.all()


def add(session: AsyncSession, maatregel: Beveiligingsmaatregel) -> None:
    session.add(maatregel)
