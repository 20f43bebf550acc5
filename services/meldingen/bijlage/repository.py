"""Every query on attachments and their encrypted segments."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.meldingen.bijlage.models import Bijlage, BijlageDeel


def add(session: AsyncSession, bijlage: Bijlage) -> None:
    session.add(bijlage)


async def add_deel(
    session: AsyncSession, bijlage_id: uuid.UUID, volgnummer: int, data: bytes
) -> None:
    await session.execute(
        insert(BijlageDeel).values(bijlage_id=bijlage_id, volgnummer=volgnummer, data=data)
    )


async def count_for_melding(session: AsyncSession, melding_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count()).select_from(Bijlage).where(col(Bijlage.melding_id) == melding_id)
    )
    return int(count or 0)


async def added_by_since(
    session: AsyncSession, subject: str, since: datetime
) -> tuple[int, datetime | None]:
    """Bytes of the attachments ``subject`` added from ``since`` on, and the oldest one's time."""
    row = (
        await session.execute(
            select(
                func.coalesce(func.sum(col(Bijlage.grootte)), 0), func.min(Bijlage.aangemaakt_op)
            )
            .where(col(Bijlage.toegevoegd_door) == subject)
            .where(col(Bijlage.aangemaakt_op) >= since)
        )
    ).one()
    return int(row[0]), row[1]


def _visible(melding_id: uuid.UUID, alleen_zichtbaar: bool) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [col(Bijlage.melding_id) == melding_id]
    if alleen_zichtbaar:
        conditions.append(col(Bijlage.zichtbaar_voor_melder).is_(True))
    return and_(*conditions)


async def list_bijlagen(
    session: AsyncSession,
    melding_id: uuid.UUID,
    *,
    alleen_zichtbaar: bool,
    offset: int,
    limit: int,
) -> tuple[int, Sequence[Bijlage]]:
    where = _visible(melding_id, alleen_zichtbaar)
    count = await session.scalar(select(func.count()).select_from(Bijlage).where(where))
    rows = await session.scalars(
        select(Bijlage)
        .where(where)
        .order_by(col(Bijlage.aangemaakt_op).desc(), col(Bijlage.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return int(count or 0), rows.all()


async def get(
    session: AsyncSession, melding_id: uuid.UUID, bijlage_id: uuid.UUID
) -> Bijlage | None:
    return await session.scalar(
        select(Bijlage).where(col(Bijlage.id) == bijlage_id, col(Bijlage.melding_id) == melding_id)
    )


async def get_by_id(session: AsyncSession, bijlage_id: uuid.UUID) -> Bijlage | None:
    return await session.scalar(select(Bijlage).where(col(Bijlage.id) == bijlage_id))


async def delen(
    session: AsyncSession, bijlage_id: uuid.UUID, *, vanaf: int, aantal: int
) -> Sequence[tuple[int, bytes]]:
    rows = await session.execute(
        select(col(BijlageDeel.volgnummer), col(BijlageDeel.data))
        .where(
            col(BijlageDeel.bijlage_id) == bijlage_id,
            col(BijlageDeel.volgnummer) >= vanaf,
            col(BijlageDeel.volgnummer) < vanaf + aantal,
        )
        .order_by(col(BijlageDeel.volgnummer))
    )
    return [(int(r[0]), bytes(r[1])) for r in rows.all()]


async def wachtend_op_scan(session: AsyncSession, limit: int) -> Sequence[uuid.UUID]:
    rows = await session.scalars(
        select(col(Bijlage.id))
        .where(col(Bijlage.scanstatus) == "in_afwachting")
        .order_by(col(Bijlage.aangemaakt_op), col(Bijlage.id))
        .limit(limit)
    )
    return list(rows.all())


async def set_scanstatus(
    session: AsyncSession, bijlage_id: uuid.UUID, *, van: str, values: dict[str, Any]
) -> bool:
    """Change the status only from `van`: a verdict never overwrites another one."""
    result = await session.execute(
        update(Bijlage)
        .where(col(Bijlage.id) == bijlage_id, col(Bijlage.scanstatus) == van)
        .values(values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def wis_inhoud(session: AsyncSession, bijlage_id: uuid.UUID) -> None:
    await session.execute(
        delete(BijlageDeel)
        .where(col(BijlageDeel.bijlage_id) == bijlage_id)
        .execution_options(synchronize_session=False)
    )


async def van_meldingen(
    session: AsyncSession, melding_ids: Sequence[uuid.UUID]
) -> Sequence[Bijlage]:
    if not melding_ids:
        return []
    rows = await session.scalars(
        select(Bijlage)
        .where(col(Bijlage.melding_id).in_(melding_ids))
        .order_by(col(Bijlage.aangemaakt_op).desc(), col(Bijlage.id).desc())
    )
    return rows.all()


async def wis_voor(session: AsyncSession, melding_ids: Any, moment: datetime) -> dict[str, int]:
    """Retention: erase content, names and description of the attachments of `melding_ids`.

    What stays is what the statistics and the chain of custody need: type, size, hash, dates.
    """
    due = select(col(Bijlage.id)).where(col(Bijlage.melding_id).in_(melding_ids))
    segments = await session.execute(
        delete(BijlageDeel)
        .where(col(BijlageDeel.bijlage_id).in_(due))
        .execution_options(synchronize_session=False)
    )
    rows = await session.execute(
        update(Bijlage)
        .where(
            col(Bijlage.melding_id).in_(melding_ids),
            col(Bijlage.inhoud_gewist_op).is_(None) | col(Bijlage.toegevoegd_door).is_not(None),
        )
        .values(
            bestandsnaam_versleuteld=None,
            oorspronkelijke_naam_versleuteld=None,
            omschrijving_versleuteld=None,
            toegevoegd_door=None,
            sleutel=None,
            delen=0,
            inhoud_gewist_op=moment,
        )
        .execution_options(synchronize_session=False)
    )
    return {
        "bijlagen": int(getattr(rows, "rowcount", 0) or 0),
        "bijlagedelen": int(getattr(segments, "rowcount", 0) or 0),
    }


async def niet_onder_sleutel(session: AsyncSession, kid: str, limit: int) -> Sequence[Bijlage]:
    rows = await session.scalars(
        select(Bijlage)
        .where(col(Bijlage.sleutel).is_not(None), col(Bijlage.sleutel) != kid)
        .order_by(col(Bijlage.id))
        .limit(limit)
    )
    return rows.all()


async def deel(session: AsyncSession, bijlage_id: uuid.UUID, volgnummer: int) -> bytes | None:
    value = await session.scalar(
        select(col(BijlageDeel.data)).where(
            col(BijlageDeel.bijlage_id) == bijlage_id, col(BijlageDeel.volgnummer) == volgnummer
        )
    )
    return None if value is None else bytes(value)


async def herschrijf_deel(
    session: AsyncSession, bijlage_id: uuid.UUID, volgnummer: int, data: bytes
) -> None:
    await session.execute(
        update(BijlageDeel)
        .where(col(BijlageDeel.bijlage_id) == bijlage_id, col(BijlageDeel.volgnummer) == volgnummer)
        .values(data=data)
        .execution_options(synchronize_session=False)
    )


async def zet_sleutel(session: AsyncSession, bijlage_id: uuid.UUID, kid: str) -> None:
    await session.execute(
        update(Bijlage)
        .where(col(Bijlage.id) == bijlage_id)
        .values(sleutel=kid)
        .execution_options(synchronize_session=False)
    )
