"""Every query on the catalogue."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.beveiliging.maatregel.models import Maatregel


async def get(session: AsyncSession, code: str) -> Maatregel | None:
    return await session.get(Maatregel, code)


async def actieve_codes(session: AsyncSession, codes: Collection[str]) -> set[str]:
    if not codes:
        return set()
    rows = await session.scalars(
        select(col(Maatregel.code)).where(
            col(Maatregel.code).in_(list(codes)), col(Maatregel.actief).is_(True)
        )
    )
    return set(rows)


async def bestaande_codes(session: AsyncSession) -> set[str]:
    return set(await session.scalars(select(col(Maatregel.code))))


async def lijst(
    session: AsyncSession,
    *,
    categorie: str | None,
    actief: bool | None,
    offset: int,
    limit: int,
) -> tuple[int, Sequence[Maatregel]]:
    filters: list[Any] = []
    if categorie is not None:
        filters.append(col(Maatregel.categorie) == categorie)
    if actief is not None:
        filters.append(col(Maatregel.actief).is_(actief))
    count = await session.scalar(select(func.count()).select_from(Maatregel).where(*filters))
    rows = await session.scalars(
        select(Maatregel)
        .where(*filters)
        .order_by(col(Maatregel.aangemaakt_op).desc(), col(Maatregel.code))
        .offset(offset)
        .limit(limit)
    )
    return int(count or 0), rows.all()


def add(session: AsyncSession, maatregel: Maatregel) -> None:
    session.add(maatregel)
