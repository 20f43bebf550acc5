"""The queries of the reporter's own data."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.meldingen.melding.models import Melding


async def meldingen_van(session: AsyncSession, subject: str) -> Sequence[Melding]:
    rows = await session.scalars(
        select(Melding)
        .where(col(Melding.melder) == subject)
        .order_by(col(Melding.aangemaakt_op).desc(), col(Melding.id).desc())
    )
    return rows.all()
