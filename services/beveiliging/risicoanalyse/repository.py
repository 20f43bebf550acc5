"""Every query on risk analyses."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.beveiliging.reach import in_bereik_clause
from services.beveiliging.risicoanalyse.models import Risicoanalyse
from services.common.principal import Principal

_R = Risicoanalyse


async def get(session: AsyncSession, analyse_id: uuid.UUID) -> Risicoanalyse | None:
    return await session.get(_R, analyse_id)


async def lijst_in_bereik(
    session: AsyncSession, caller: Principal, *, offset: int, limit: int
) -> tuple[int, Sequence[Risicoanalyse]]:
    bereik = in_bereik_clause(
        caller, organisatie=col(_R.organisatie), personen=(col(_R.aanvrager), col(_R.betreft))
    )
    count = await session.scalar(select(func.count()).select_from(_R).where(bereik))
    rows = await session.scalars(
        select(_R)
        .where(bereik)
        .order_by(col(_R.aangemaakt_op).desc(), col(_R.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return int(count or 0), rows.all()


def add(session: AsyncSession, analyse: Risicoanalyse) -> None:
    session.add(analyse)
