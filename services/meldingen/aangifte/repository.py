"""Every query on the police report."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.meldingen.aangifte.models import Aangifte, AangifteWijziging


async def get(session: AsyncSession, melding_id: uuid.UUID) -> Aangifte | None:
    return await session.get(Aangifte, melding_id)


async def historie(session: AsyncSession, melding_id: uuid.UUID) -> Sequence[AangifteWijziging]:
    rows = await session.scalars(
        select(AangifteWijziging)
        .where(col(AangifteWijziging.melding_id) == melding_id)
        .order_by(col(AangifteWijziging.tijdstip).desc(), col(AangifteWijziging.id).desc())
    )
    return rows.all()


def add(session: AsyncSession, *rows: object) -> None:
    session.add_all(rows)
