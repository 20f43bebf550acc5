"""The bulk statements of retention and key rotation: set-based, idempotent by their WHERE."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, not_, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.common.types import utcnow
from services.meldingen.aangifte.enums import AFGESLOTEN
from services.meldingen.aangifte.models import Aangifte, AangifteWijziging
from services.meldingen.bijlage import repository as bijlage_repository
from services.meldingen.inzage.models import Inzage
from services.meldingen.melding.enums import Status
from services.meldingen.melding.models import IdempotentVerzoek, Melding, Statuswijziging
from services.meldingen.nazorg.models import Nazorgmoment
from services.meldingen.notitie.models import Notitie

_CLOSED = (Status.afgehandeld.value, Status.ingetrokken.value)


def _verlopen(grens: datetime) -> ColumnElement[bool]:
    return and_(
        col(Melding.status).in_(_CLOSED),
        col(Melding.afgesloten_op).is_not(None),
        col(Melding.afgesloten_op) < grens,
    )


def _strafzaak_loopt() -> ColumnElement[bool]:
    return exists().where(
        col(Aangifte.melding_id) == col(Melding.id),
        col(Aangifte.status).not_in([s.value for s in AFGESLOTEN]),
    )


def te_anonimiseren(grens: datetime) -> Select[Any]:
    return select(col(Melding.id)).where(_verlopen(grens), not_(_strafzaak_loopt()))


async def nog_te_anonimiseren(session: AsyncSession, grens: datetime) -> list[Any]:
    """The ids of the meldingen due that still hold personal fields (what `wis` changes)."""
    rows = await session.scalars(
        te_anonimiseren(grens).where(
            or_(
                col(Melding.omschrijving_versleuteld).is_not(None),
                col(Melding.melder).is_not(None),
                col(Melding.aangemaakt_door).is_not(None),
                col(Melding.behandelaar).is_not(None),
            )
        )
    )
    return list(rows.all())


async def aantal_aangehouden(session: AsyncSession, grens: datetime) -> int:
    count = await session.scalar(
        select(func.count()).select_from(Melding).where(_verlopen(grens), _strafzaak_loopt())
    )
    return int(count or 0)


async def _rowcount(session: AsyncSession, statement: Any) -> int:
    result = cast(CursorResult[Any], await session.execute(statement))
    return int(result.rowcount or 0)


async def wis(session: AsyncSession, grens: datetime) -> dict[str, int]:
    """Null every personal field of the meldingen due; returns rows changed per table."""
    ids = te_anonimiseren(grens)

    async def clear(table: Any, fk: Any, *columns: Any) -> int:
        return await _rowcount(
            session,
            update(table)
            .where(fk.in_(ids), or_(*(c.is_not(None) for c in columns)))
            .values({c.key: None for c in columns})
            .execution_options(synchronize_session=False),
        )

    counts = {
        "meldingen": await clear(
            Melding,
            col(Melding.id),
            col(Melding.omschrijving_versleuteld),
            col(Melding.melder),
            col(Melding.aangemaakt_door),
            col(Melding.behandelaar),
        ),
        "notities": await clear(
            Notitie, col(Notitie.melding_id), col(Notitie.tekst_versleuteld), col(Notitie.auteur)
        ),
        "statuswijzigingen": await clear(
            Statuswijziging,
            col(Statuswijziging.melding_id),
            col(Statuswijziging.toelichting_versleuteld),
            col(Statuswijziging.door),
        ),
        "aangiftes": await clear(
            Aangifte, col(Aangifte.melding_id), col(Aangifte.politie_registratienummer_versleuteld)
        ),
        "aangifteversies": await clear(
            AangifteWijziging,
            col(AangifteWijziging.melding_id),
            col(AangifteWijziging.politie_registratienummer_versleuteld),
            col(AangifteWijziging.door),
        ),
        "nazorgmomenten": await clear(
            Nazorgmoment,
            col(Nazorgmoment.melding_id),
            col(Nazorgmoment.omschrijving_versleuteld),
            col(Nazorgmoment.uitkomst_versleuteld),
            col(Nazorgmoment.aangemaakt_door),
        ),
        "inzages": await clear(Inzage, col(Inzage.melding_id), col(Inzage.subject)),
    }
    # Attachments: content, names and description erased; type, size and hash stay.
    counts |= await bijlage_repository.wis_voor(session, ids, utcnow())
    counts["idempotente_antwoorden"] = await _rowcount(
        session,
        delete(IdempotentVerzoek)
        .where(col(IdempotentVerzoek.melding_id).in_(ids))
        .execution_options(synchronize_session=False),
    )
    return counts


async def niet_onder_sleutel(
    session: AsyncSession, pk: Any, column: Any, kid: str, limit: int
) -> list[tuple[Any, str]]:
    rows = await session.execute(
        select(pk, column)
        .where(column.is_not(None), not_(column.startswith(f"v1.{kid}.", autoescape=True)))
        .order_by(pk)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in rows.all()]


async def herschrijf(session: AsyncSession, pk: Any, column: Any, key: Any, value: str) -> None:
    await session.execute(
        update(pk.class_)
        .where(pk == key)
        .values({column.key: value})
        .execution_options(synchronize_session=False)
    )
