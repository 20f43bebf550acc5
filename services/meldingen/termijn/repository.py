"""The scheduler's queries: claim what is overdue and not yet reported, batch by batch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.meldingen.melding.models import TERMIJN_OPEN, Melding
from services.meldingen.nazorg.models import VERLOPEN_OPEN, Nazorgmoment


def verstreken_query(now: datetime, limit: int) -> Select[Melding]:
    return (
        select(Melding)
        .where(col(Melding.reactie_uiterlijk) <= now, text(TERMIJN_OPEN))
        .order_by(col(Melding.reactie_uiterlijk))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


def verlopen_query(now: datetime, limit: int) -> Select[Nazorgmoment, Melding]:
    return (
        select(Nazorgmoment, Melding)
        .join(Melding, col(Melding.id) == col(Nazorgmoment.melding_id))
        .where(col(Nazorgmoment.gepland) <= now, text(VERLOPEN_OPEN))
        .order_by(col(Nazorgmoment.gepland))
        .limit(limit)
        .with_for_update(skip_locked=True, of=Nazorgmoment)
    )


async def claim_verstreken(session: AsyncSession, now: datetime, limit: int) -> Sequence[Melding]:
    """Meldingen past their deadline, never picked up, not yet reported; locked for this
    transaction. The predicate is the partial index's own text, so the planner uses it.

    PostgreSQL: `FOR UPDATE SKIP LOCKED` — a second scheduler (or a handler changing the row)
    holds other rows; a row updated meanwhile is re-checked against the WHERE. SQLite: the
    transaction began `BEGIN IMMEDIATE`, so schedulers serialise (services.common.db).
    """
    rows = await session.scalars(
        verstreken_query(now, limit).execution_options(populate_existing=True)
    )
    return rows.all()


async def claim_verlopen(
    session: AsyncSession, now: datetime, limit: int
) -> Sequence[tuple[Nazorgmoment, Melding]]:
    """Aftercare moments planned before `now`, not performed, not yet reported; locked."""
    rows = await session.execute(
        verlopen_query(now, limit).execution_options(populate_existing=True)
    )
    return [(moment, melding) for moment, melding in rows.tuples().all()]
