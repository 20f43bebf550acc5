"""Every query on deliveries and attempts."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.notificaties.abonnement.models import Abonnement
from services.notificaties.aflevering.models import Aflevering, Poging
from services.notificaties.aflevering.states import OPEN
from services.notificaties.gebeurtenis.models import Gebeurtenis


def add(session: AsyncSession, aflevering: Aflevering) -> None:
    session.add(aflevering)


def add_poging(session: AsyncSession, poging: Poging) -> None:
    session.add(poging)


def _kop(abonnement_id: Any) -> Any:
    """The volgnummer of a subscription's first open delivery, or NULL.

    One index probe per open status on (abonnement_id, status, volgnummer): `status IN (…)
    ORDER BY volgnummer` would read every open delivery of the subscription instead, and a
    receiver that is down can have many.
    """
    gepland, opnieuw = (
        select(func.min(col(Aflevering.volgnummer)))
        .where(col(Aflevering.abonnement_id) == abonnement_id, col(Aflevering.status) == status)
        .correlate(Abonnement)
        .scalar_subquery()
        for status in OPEN
    )
    return case(
        (gepland.is_(None), opnieuw),
        (opnieuw.is_(None), gepland),
        (gepland < opnieuw, gepland),
        else_=opnieuw,
    )


async def due_abonnementen(
    session: AsyncSession, *, nu: datetime, limit: int, behalve: Collection[uuid.UUID] = ()
) -> Sequence[uuid.UUID]:
    """Active subscriptions whose first open delivery (event order) is due and unclaimed, and
    whose breaker, when open, is due for its probe.

    Only the head counts: what waits behind a delivery being retried or in flight is not
    its subscription's turn. Longest waiting first. Cost grows with the subscriptions, not
    with their backlog.
    """
    koppen = (
        select(col(Abonnement.id).label("id"), _kop(col(Abonnement.id)).label("kop"))
        .where(
            col(Abonnement.actief).is_(True),
            # An open breaker: nothing before its probe is due.
            or_(col(Abonnement.onderbroken_tot).is_(None), col(Abonnement.onderbroken_tot) <= nu),
        )
        .cte("koppen")
        # Heads first, then one lookup each (PostgreSQL would otherwise inline them into
        # the join and evaluate them per delivery row).
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    query = (
        select(koppen.c.id)
        .join(
            Aflevering,
            and_(
                col(Aflevering.abonnement_id) == koppen.c.id,
                col(Aflevering.status).in_(OPEN),
                col(Aflevering.volgnummer) == koppen.c.kop,
            ),
        )
        .where(
            col(Aflevering.volgende_poging_op) <= nu,
            or_(col(Aflevering.geclaimd_tot).is_(None), col(Aflevering.geclaimd_tot) < nu),
        )
        .order_by(col(Aflevering.volgende_poging_op))
        .limit(limit)
    )
    if behalve:
        query = query.where(koppen.c.id.not_in(list(behalve)))
    result = await session.execute(query)
    return list(result.scalars().all())


async def lock_abonnement(session: AsyncSession, abonnement_id: uuid.UUID) -> Abonnement | None:
    """The active subscription, locked for this transaction; None when another holds it.

    PostgreSQL: `FOR NO KEY UPDATE SKIP LOCKED`, so two deliverers never claim one
    subscription's deliveries at once, while the consumer's inserts (which only take a key
    share lock for their foreign key) go on. SQLite: every transaction is `BEGIN IMMEDIATE`,
    which serialises claims already.
    """
    result = await session.execute(
        select(Abonnement)
        .where(col(Abonnement.id) == abonnement_id, col(Abonnement.actief).is_(True))
        .with_for_update(skip_locked=True, key_share=True)
        .execution_options(populate_existing=True)
    )
    return result.scalar_one_or_none()


async def zet_breaker(
    session: AsyncSession,
    abonnement_id: uuid.UUID,
    *,
    fouten_op_rij: int,
    onderbroken_tot: datetime | None,
) -> None:
    """Only the breaker's columns: a change of the subscription made meanwhile stays."""
    await session.execute(
        update(Abonnement)
        .where(col(Abonnement.id) == abonnement_id)
        .values(fouten_op_rij=fouten_op_rij, onderbroken_tot=onderbroken_tot)
    )


async def breaker_van(
    session: AsyncSession, abonnement_id: uuid.UUID
) -> tuple[int, datetime | None]:
    """The breaker's columns, the row locked until the transaction ends (`FOR NO KEY UPDATE`,
    as a claim locks it): recordings of one subscription by two processes, a rare overlap
    after a claim ran out, take turns, and the consumer's inserts go on."""
    result = await session.execute(
        select(col(Abonnement.fouten_op_rij), col(Abonnement.onderbroken_tot))
        .where(col(Abonnement.id) == abonnement_id)
        .with_for_update(key_share=True)
    )
    row = result.one_or_none()
    return (0, None) if row is None else (int(row[0]), row[1])


async def is_actief(session: AsyncSession, abonnement_id: uuid.UUID) -> bool:
    result = await session.execute(
        select(col(Abonnement.actief)).where(col(Abonnement.id) == abonnement_id)
    )
    return bool(result.scalar_one_or_none())


async def first_open(
    session: AsyncSession, abonnement_id: uuid.UUID, *, limit: int
) -> Sequence[Aflevering]:
    """A subscription's first `limit` open deliveries, in event order (one ordered index
    range per open status, merged: see `_kop`)."""
    rows: list[Aflevering] = []
    for status in OPEN:
        result = await session.execute(
            select(Aflevering)
            .where(
                col(Aflevering.abonnement_id) == abonnement_id,
                col(Aflevering.status) == status,
            )
            .order_by(col(Aflevering.volgnummer))
            .limit(limit)
            .execution_options(populate_existing=True)
        )
        rows.extend(result.scalars().all())
    return sorted(rows, key=lambda a: a.volgnummer)[:limit]


async def claim_many(
    session: AsyncSession, aflevering_ids: Sequence[uuid.UUID], *, tot: datetime
) -> None:
    await session.execute(
        update(Aflevering).where(col(Aflevering.id).in_(aflevering_ids)).values(geclaimd_tot=tot)
    )


async def get_many(
    session: AsyncSession, aflevering_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Aflevering]:
    result = await session.execute(
        select(Aflevering)
        .where(col(Aflevering.id).in_(aflevering_ids))
        .execution_options(populate_existing=True)
    )
    return {a.id: a for a in result.scalars().all()}


async def gebeurtenissen(
    session: AsyncSession, gebeurtenis_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Gebeurtenis]:
    result = await session.execute(
        select(Gebeurtenis).where(col(Gebeurtenis.id).in_(gebeurtenis_ids))
    )
    return {g.id: g for g in result.scalars().all()}


async def release(session: AsyncSession, aflevering_ids: Sequence[uuid.UUID]) -> None:
    await session.execute(
        update(Aflevering)
        .where(col(Aflevering.id).in_(aflevering_ids), col(Aflevering.status).in_(OPEN))
        .values(geclaimd_tot=None)
    )


async def get(session: AsyncSession, aflevering_id: uuid.UUID) -> Aflevering | None:
    return await session.get(Aflevering, aflevering_id)


async def of_abonnement(
    session: AsyncSession, abonnement_id: uuid.UUID, some_id: uuid.UUID
) -> Aflevering | None:
    """A delivery of this subscription by its own id, or by the id of one of its attempts."""
    result = await session.execute(
        select(Aflevering).where(
            col(Aflevering.abonnement_id) == abonnement_id,
            or_(
                col(Aflevering.id) == some_id,
                col(Aflevering.id).in_(
                    select(col(Poging.aflevering_id)).where(col(Poging.id) == some_id)
                ),
            ),
        )
    )
    return result.scalar_one_or_none()


async def count_pogingen(session: AsyncSession, abonnement_id: uuid.UUID) -> int:
    result = await session.execute(
        select(func.count()).select_from(Poging).where(col(Poging.abonnement_id) == abonnement_id)
    )
    return int(result.scalar_one())


async def list_pogingen(
    session: AsyncSession, abonnement_id: uuid.UUID, *, offset: int, limit: int
) -> Sequence[Poging]:
    result = await session.execute(
        select(Poging)
        .where(col(Poging.abonnement_id) == abonnement_id)
        .order_by(col(Poging.tijdstip).desc(), col(Poging.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return result.scalars().all()
