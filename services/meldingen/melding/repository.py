"""Every query of the melding subdomain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    UnaryExpression,
    and_,
    case,
    delete,
    false,
    func,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.common.types import UtcDateTime, utcnow
from services.meldingen.melding.models import (
    IdempotentVerzoek,
    KenmerkTeller,
    Melding,
    Statuswijziging,
)
from services.meldingen.melding.schemas import LijstFilter


@dataclass(frozen=True)
class Bereik:
    """Which meldingen a caller may see, as data the query turns into SQL."""

    melder_subject: str | None = None
    organisatie: str | None = None  # a handler's own organisation: its non-confidential ones
    landelijk: bool = False  # OWB handlers: confidential ones and referrals to OWB

    @property
    def leeg(self) -> bool:
        return self.melder_subject is None and self.organisatie is None and not self.landelijk


def bereik_filter(bereik: Bereik) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = []
    if bereik.melder_subject is not None:
        clauses.append(col(Melding.melder) == bereik.melder_subject)
    if bereik.organisatie is not None:
        clauses.append(
            and_(
                col(Melding.organisatie) == bereik.organisatie,
                col(Melding.vertrouwelijk).is_(False),
            )
        )
    if bereik.landelijk:
        clauses.append(
            or_(
                col(Melding.vertrouwelijk).is_(True),
                col(Melding.owb_bereik).is_(True),
            )
        )
    return or_(*clauses) if clauses else false()


_PRIORITEIT_RANG = case(
    {"spoed": 0, "hoog": 1, "normaal": 2},
    value=col(Melding.prioriteit),
    else_=3,
)


def _ordering(sortering: str) -> list[UnaryExpression[Any]]:
    aangemaakt = col(Melding.aangemaakt_op)
    ident = col(Melding.id)
    if sortering == "aangemaaktOp":
        return [aangemaakt.asc(), ident.asc()]
    if sortering == "prioriteit":
        return [_PRIORITEIT_RANG.asc(), aangemaakt.desc(), ident.desc()]
    return [aangemaakt.desc(), ident.desc()]


def termijn_verstreken(now: datetime) -> ColumnElement[bool]:
    """SQL of service.termijn_verstreken: the deadline passed before pickup (or close)."""
    einde = func.coalesce(
        col(Melding.opgepakt_op), col(Melding.afgesloten_op), literal(now, UtcDateTime)
    )
    return einde > col(Melding.reactie_uiterlijk)


async def list_meldingen(
    session: AsyncSession, *, bereik: Bereik, filters: LijstFilter, offset: int, limit: int
) -> tuple[int, Sequence[Melding]]:
    conditions: list[ColumnElement[bool]] = [bereik_filter(bereik)]
    column_filters = {
        col(Melding.status): filters.status,
        col(Melding.gedragstype): filters.gedragstype,
        col(Melding.prioriteit): filters.prioriteit,
        col(Melding.kenmerk): filters.kenmerk,
        col(Melding.behandelaar): filters.behandelaar,
    }
    for column, value in column_filters.items():
        if value is not None:
            conditions.append(column == value)
    if filters.van is not None:
        conditions.append(col(Melding.aangemaakt_op) >= filters.van)
    if filters.tot is not None:
        conditions.append(col(Melding.aangemaakt_op) < filters.tot)
    if filters.termijn_verstreken is not None:
        verstreken = termijn_verstreken(utcnow())
        conditions.append(verstreken if filters.termijn_verstreken else ~verstreken)
    if filters.niet_van_melder is not None:
        conditions.append(
            col(Melding.melder).is_(None) | (col(Melding.melder) != filters.niet_van_melder)
        )
    where = and_(*conditions)
    count = await session.scalar(select(func.count()).select_from(Melding).where(where))
    rows = await session.scalars(
        select(Melding)
        .where(where)
        .order_by(*_ordering(filters.sortering))
        .offset(offset)
        .limit(limit)
    )
    return int(count or 0), rows.all()


async def get_melding(session: AsyncSession, melding_id: uuid.UUID) -> Melding | None:
    return await session.get(Melding, melding_id)


async def lock_melding(session: AsyncSession, melding_id: uuid.UUID) -> Melding | None:
    """The row for an update, locked so concurrent status changes serialise."""
    result = await session.scalars(
        select(Melding)
        .where(col(Melding.id) == melding_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return result.one_or_none()


async def next_kenmerk_number(session: AsyncSession, jaar: int) -> int:
    """Gap-free per year: a counter row updated in the create's own transaction."""
    dialect = session.bind.dialect.name if session.bind else "postgresql"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(
        insert(KenmerkTeller).values(jaar=jaar, laatste=0).on_conflict_do_nothing()
    )
    result = await session.execute(
        update(KenmerkTeller)
        .where(col(KenmerkTeller.jaar) == jaar)
        .values(laatste=col(KenmerkTeller.laatste) + 1)
        .returning(col(KenmerkTeller.laatste))
    )
    return int(result.scalar_one())


def add(session: AsyncSession, *rows: object) -> None:
    session.add_all(rows)


async def statuswijzigingen(
    session: AsyncSession, melding_id: uuid.UUID
) -> Sequence[Statuswijziging]:
    rows = await session.scalars(
        select(Statuswijziging)
        .where(col(Statuswijziging.melding_id) == melding_id)
        .order_by(col(Statuswijziging.tijdstip))
    )
    return rows.all()


async def try_idempotency_lock(session: AsyncSession, subject: str, sleutel: str) -> bool:
    """PostgreSQL: False while another transaction handles the same key (→ 409 in flight).

    SQLite serialises writers with BEGIN IMMEDIATE, so a second request only runs once the
    first has committed and then finds the stored answer.
    """
    if session.bind is None or session.bind.dialect.name != "postgresql":
        return True
    acquired = await session.scalar(
        text("SELECT pg_try_advisory_xact_lock(hashtextextended(:k, 0))"),
        {"k": f"meldingen:idempotency:{subject}\x1f{sleutel}"},
    )
    return bool(acquired)


async def find_idempotent(
    session: AsyncSession, subject: str, sleutel: str, now: datetime
) -> IdempotentVerzoek | None:
    result = await session.scalars(
        select(IdempotentVerzoek).where(
            col(IdempotentVerzoek.subject) == subject,
            col(IdempotentVerzoek.sleutel) == sleutel,
            col(IdempotentVerzoek.verloopt_op) > now,
        )
    )
    return result.one_or_none()


async def delete_expired_idempotent(
    session: AsyncSession, subject: str, sleutel: str, now: datetime
) -> None:
    await session.execute(
        delete(IdempotentVerzoek).where(
            col(IdempotentVerzoek.subject) == subject,
            col(IdempotentVerzoek.sleutel) == sleutel,
            col(IdempotentVerzoek.verloopt_op) <= now,
        )
    )
