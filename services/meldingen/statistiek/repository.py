"""The statistics query: one GROUP BY over the meldingen, the same SQL on both databases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.meldingen.melding.models import Melding
from services.meldingen.melding.repository import Bereik, bereik_filter
from services.meldingen.statistiek.enums import Groepering
from services.meldingen.statistiek.models import MeldingVorm

_COLUMNS: dict[Groepering, Any] = {
    Groepering.gedragstype: col(Melding.gedragstype),
    Groepering.functie: col(Melding.functie),
    Groepering.maand: col(Melding.maand_voorval),
    Groepering.organisatie: col(Melding.organisatie),
    Groepering.status: col(Melding.status),
    Groepering.prioriteit: col(Melding.prioriteit),
    Groepering.vorm: col(MeldingVorm.vorm),
}


@dataclass(frozen=True)
class StatistiekFilter:
    groepeer_op: tuple[Groepering, ...]
    van: str | None = None  # YYYY-MM, inclusive
    tot: str | None = None  # YYYY-MM, inclusive
    organisatie: str | None = None
    bereik: Bereik | None = None  # a handler's reach; None: every melding (analist)


def statistiek_query(filters: StatistiekFilter) -> Select[Any]:
    columns = [_COLUMNS[g].label(g.value) for g in filters.groepeer_op]
    conditions: list[ColumnElement[bool]] = [true()]
    if filters.van is not None:
        conditions.append(col(Melding.maand_voorval) >= filters.van)
    if filters.tot is not None:
        conditions.append(col(Melding.maand_voorval) <= filters.tot)
    if filters.organisatie is not None:
        conditions.append(col(Melding.organisatie) == filters.organisatie)
    if filters.bereik is not None:
        conditions.append(bereik_filter(filters.bereik))
    query = select(*columns, func.count().label("aantal")).select_from(Melding)
    if Groepering.vorm in filters.groepeer_op:
        query = query.join(MeldingVorm, col(MeldingVorm.melding_id) == col(Melding.id))
    group = [_COLUMNS[g] for g in filters.groepeer_op]
    return query.where(and_(*conditions)).group_by(*group).order_by(*group)


async def tel(session: AsyncSession, filters: StatistiekFilter) -> Sequence[Any]:
    result = await session.execute(statistiek_query(filters))
    return list(result.mappings().all())
