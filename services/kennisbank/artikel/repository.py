"""Every query of the artikel subdomain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.kennisbank.artikel.models import Artikel, ArtikelDoelgroep, ArtikelThema, Revisie


@dataclass(frozen=True)
class ListFilter:
    statuses: tuple[str, ...]
    thema: str | None = None
    doelgroep: str | None = None
    type: str | None = None


async def by_slug(session: AsyncSession, slug: str, *, for_update: bool = False) -> Artikel | None:
    stmt = select(Artikel).where(col(Artikel.slug) == slug)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def taken_slugs(session: AsyncSession, basis: str) -> set[str]:
    """Slugs equal to ``basis`` or ``basis-<n>``: the candidates a new slug must avoid."""
    rijen = await session.execute(
        select(col(Artikel.slug)).where(
            (col(Artikel.slug) == basis) | col(Artikel.slug).like(f"{basis}-%")
        )
    )
    return set(rijen.scalars())


def met_thema(artikel_id: Any, thema: str) -> ColumnElement[bool]:
    """The article ``artikel_id`` (a column or value) has this theme."""
    return exists().where(
        and_(col(ArtikelThema.artikel_id) == artikel_id, col(ArtikelThema.thema) == thema)
    )


def met_doelgroep(artikel_id: Any, doelgroep: str) -> ColumnElement[bool]:
    """The article ``artikel_id`` (a column or value) is for this audience."""
    return exists().where(
        and_(
            col(ArtikelDoelgroep.artikel_id) == artikel_id,
            col(ArtikelDoelgroep.doelgroep) == doelgroep,
        )
    )


def _conditions(filters: ListFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [col(Artikel.status).in_(filters.statuses)]
    if filters.thema is not None:
        conditions.append(met_thema(col(Artikel.id), filters.thema))
    if filters.doelgroep is not None:
        conditions.append(met_doelgroep(col(Artikel.id), filters.doelgroep))
    if filters.type is not None:
        conditions.append(col(Artikel.type) == filters.type)
    return conditions


async def list_artikelen(
    session: AsyncSession, filters: ListFilter, *, offset: int, limit: int
) -> tuple[int, list[Artikel]]:
    """Newest first, ties by id, so paging is stable."""
    conditions = _conditions(filters)
    aantal = await session.scalar(select(func.count()).select_from(Artikel).where(*conditions))
    rijen = await session.execute(
        select(Artikel)
        .where(*conditions)
        .order_by(col(Artikel.aangemaakt_op).desc(), col(Artikel.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return int(aantal or 0), list(rijen.scalars())


async def taxonomie(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[list[str], list[str]]]:
    """Per article its themas and doelgroepen, each sorted."""
    resultaat: dict[uuid.UUID, tuple[list[str], list[str]]] = {i: ([], []) for i in ids}
    if not ids:
        return resultaat
    themas = await session.execute(
        select(col(ArtikelThema.artikel_id), col(ArtikelThema.thema))
        .where(col(ArtikelThema.artikel_id).in_(ids))
        .order_by(col(ArtikelThema.thema))
    )
    for artikel_id, thema in themas.tuples():
        resultaat[artikel_id][0].append(thema)
    doelgroepen = await session.execute(
        select(col(ArtikelDoelgroep.artikel_id), col(ArtikelDoelgroep.doelgroep))
        .where(col(ArtikelDoelgroep.artikel_id).in_(ids))
        .order_by(col(ArtikelDoelgroep.doelgroep))
    )
    for artikel_id, doelgroep in doelgroepen.tuples():
        resultaat[artikel_id][1].append(doelgroep)
    return resultaat


async def set_taxonomie(
    session: AsyncSession, artikel_id: uuid.UUID, themas: Sequence[str], doelgroepen: Sequence[str]
) -> None:
    await session.execute(delete(ArtikelThema).where(col(ArtikelThema.artikel_id) == artikel_id))
    await session.execute(
        delete(ArtikelDoelgroep).where(col(ArtikelDoelgroep.artikel_id) == artikel_id)
    )
    session.add_all(ArtikelThema(artikel_id=artikel_id, thema=t) for t in themas)
    session.add_all(ArtikelDoelgroep(artikel_id=artikel_id, doelgroep=d) for d in doelgroepen)
    await session.flush()


async def list_revisies(
    session: AsyncSession, artikel_id: uuid.UUID, *, offset: int, limit: int
) -> tuple[int, list[Revisie]]:
    """Newest first."""
    aantal = await session.scalar(
        select(func.count()).select_from(Revisie).where(col(Revisie.artikel_id) == artikel_id)
    )
    rijen = await session.execute(
        select(Revisie)
        .where(col(Revisie.artikel_id) == artikel_id)
        .order_by(col(Revisie.versie).desc())
        .offset(offset)
        .limit(limit)
    )
    return int(aantal or 0), list(rijen.scalars())


async def add(session: AsyncSession, *rijen: Artikel | Revisie) -> None:
    session.add_all(rijen)
    await session.flush()
