"""Every query on packages and intake conversations."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.beveiliging.veiligheidspakket.models import Intakegesprek, Veiligheidspakket


async def get(session: AsyncSession, pakket_id: uuid.UUID) -> Veiligheidspakket | None:
    return await session.get(Veiligheidspakket, pakket_id)


async def get_intake(session: AsyncSession, intake_id: uuid.UUID) -> Intakegesprek | None:
    return await session.get(Intakegesprek, intake_id)


async def bestaat(session: AsyncSession, *, burgemeester: str, gemeente: str) -> bool:
    gevonden = await session.scalar(
        select(col(Veiligheidspakket.id)).where(
            col(Veiligheidspakket.burgemeester) == burgemeester,
            col(Veiligheidspakket.gemeente) == gemeente,
        )
    )
    return gevonden is not None


def add(session: AsyncSession, item: Veiligheidspakket | Intakegesprek) -> None:
    session.add(item)
