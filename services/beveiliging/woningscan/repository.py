"""Every query on home scans."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.beveiliging.reach import in_bereik_clause
from services.beveiliging.woningscan.models import Woningscan, WoningscanStatuswijziging
from services.common.principal import Principal


async def get(session: AsyncSession, scan_id: uuid.UUID) -> Woningscan | None:
    return await session.get(Woningscan, scan_id)


async def lijst_in_bereik(
    session: AsyncSession,
    caller: Principal,
    *,
    status: str | None,
    betreft: str | None,
    offset: int,
    limit: int,
) -> tuple[int, Sequence[Woningscan]]:
    filters: list[Any] = [
        in_bereik_clause(
            caller,
            organisatie=col(Woningscan.organisatie),
            personen=(col(Woningscan.aanvrager), col(Woningscan.betreft)),
        )
    ]
    if status is not None:
        filters.append(col(Woningscan.status) == status)
    if betreft is not None:
        filters.append(col(Woningscan.betreft) == betreft)
    count = await session.scalar(select(func.count()).select_from(Woningscan).where(*filters))
    rows = await session.scalars(
        select(Woningscan)
        .where(*filters)
        .order_by(col(Woningscan.aangemaakt_op).desc(), col(Woningscan.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return int(count or 0), rows.all()


def add(session: AsyncSession, scan: Woningscan) -> None:
    session.add(scan)


def add_statuswijziging(session: AsyncSession, wijziging: WoningscanStatuswijziging) -> None:
    session.add(wijziging)
