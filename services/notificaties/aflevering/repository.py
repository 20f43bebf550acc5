"""Every query on deliveries and attempts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.notificaties.abonnement.models import Abonnement
from services.notificaties.aflevering.models import Aflevering, Poging
from services.notificaties.aflevering.states import OPEN


def add(session: AsyncSession, aflevering: Aflevering) -> None:
    session.add(aflevering)


def add_poging(session: AsyncSession, poging: Poging) -> None:
    session.add(poging)


async def due(
    session: AsyncSession, *, nu: datetime, per_abonnement: int, limit: int
) -> Sequence[uuid.UUID]:
    """Deliveries whose turn it is: among the first `per_abonnement` open ones of an
    active subscription (event order), due now, and claimed by nobody."""
    rang = (
        select(
            col(Aflevering.id).label("id"),
            func.row_number()
            .over(partition_by=col(Aflevering.abonnement_id), order_by=col(Aflevering.volgnummer))
            .label("rang"),
        )
        .where(col(Aflevering.status).in_(OPEN))
        .subquery()
    )
    result = await session.execute(
        select(col(Aflevering.id))
        .join(rang, rang.c.id == col(Aflevering.id))
        .join(Abonnement, col(Abonnement.id) == col(Aflevering.abonnement_id))
        .where(
            rang.c.rang <= per_abonnement,
            col(Aflevering.volgende_poging_op) <= nu,
            or_(col(Aflevering.geclaimd_tot).is_(None), col(Aflevering.geclaimd_tot) < nu),
            col(Abonnement.actief).is_(True),
        )
        .order_by(col(Aflevering.volgende_poging_op), col(Aflevering.volgnummer))
        .limit(limit)
    )
    return list(result.scalars().all())


async def claim(
    session: AsyncSession, aflevering_id: uuid.UUID, *, nu: datetime, tot: datetime
) -> bool:
    """Take a delivery until `tot`; False when another process took it first."""
    result = await session.execute(
        update(Aflevering)
        .where(
            and_(
                col(Aflevering.id) == aflevering_id,
                col(Aflevering.status).in_(OPEN),
                or_(col(Aflevering.geclaimd_tot).is_(None), col(Aflevering.geclaimd_tot) < nu),
            )
        )
        .values(geclaimd_tot=tot)
    )
    assert isinstance(result, CursorResult)
    return bool(result.rowcount == 1)


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
