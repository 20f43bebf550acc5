"""Every query of the statistics: rollup rows summed per group, or (fallback) the meldingen."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, text, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.meldingen.melding.models import Melding
from services.meldingen.melding.repository import Bereik, bereik_filter
from services.meldingen.statistiek import rollup
from services.meldingen.statistiek.enums import Groepering
from services.meldingen.statistiek.models import MeldingVorm, RecordSleutel, StatistiekCel

_COLUMNS: dict[Groepering, Any] = {
    Groepering.gedragstype: col(Melding.gedragstype),
    Groepering.functie: col(Melding.functie),
    Groepering.maand: col(Melding.maand_voorval),
    Groepering.organisatie: col(Melding.organisatie),
    Groepering.status: col(Melding.status),
    Groepering.prioriteit: col(Melding.prioriteit),
    Groepering.vorm: col(MeldingVorm.vorm),
}
_CEL = StatistiekCel.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class StatistiekFilter:
    groepeer_op: tuple[Groepering, ...]
    van: str | None = None  # YYYY-MM, inclusive
    tot: str | None = None  # YYYY-MM, inclusive
    organisatie: str | None = None
    bereik: Bereik | None = None  # a handler's reach; None: every melding (analist)

    @property
    def niveau(self) -> rollup.Niveau:
        """Which rollups can answer: a handler's need reach, an organisation needs one."""
        if self.bereik is not None:
            return rollup.Niveau.bereik
        if self.organisatie is not None or Groepering.organisatie in self.groepeer_op:
            return rollup.Niveau.organisatie
        return rollup.Niveau.landelijk


def statistiek_query(filters: StatistiekFilter, *, met_sleutels: bool = True) -> Select[Any]:
    """The scan over the meldingen: count and key sum per group (what the rollups hold).

    `met_sleutels=False` is the query before the cell-key method (kept for the benchmark).
    """
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
    sums = [func.count().label("aantal")]
    if met_sleutels:
        sums.append(func.sum(col(RecordSleutel.sleutel)).label("sleutelsom"))
    query = select(*columns, *sums).select_from(Melding)
    if met_sleutels:
        query = query.join(RecordSleutel, col(RecordSleutel.melding_id) == col(Melding.id))
    if Groepering.vorm in filters.groepeer_op:
        query = query.join(MeldingVorm, col(MeldingVorm.melding_id) == col(Melding.id))
    group = [_COLUMNS[g] for g in filters.groepeer_op]
    return query.where(and_(*conditions)).group_by(*group).order_by(*group)


def _zicht_filter(bereik: Bereik) -> ColumnElement[bool]:
    """A handler's reach (melding.repository.bereik_filter) in terms of the rollups' `zicht`."""
    clauses: list[ColumnElement[bool]] = []
    if bereik.organisatie is not None:
        clauses.append(and_(_CEL.c.organisatie == bereik.organisatie, _CEL.c.zicht.in_((0, 1))))
    if bereik.landelijk:
        clauses.append(_CEL.c.zicht.in_((1, 2)))
    return or_(*clauses) if clauses else ~true()


def rollup_query(bron: rollup.Rollup, filters: StatistiekFilter) -> Select[Any]:
    """Sum the rollup's rows per group: the same count and key sum as the scan."""
    if bron.niveau < filters.niveau:
        raise ValueError(f"{bron.naam} cannot answer at level {filters.niveau.name}")
    columns = [_CEL.c[g.value] for g in filters.groepeer_op]
    conditions: list[ColumnElement[bool]] = [_CEL.c.groepering == bron.naam]
    if filters.van is not None:
        conditions.append(_CEL.c.maand >= filters.van)
    if filters.tot is not None:
        conditions.append(_CEL.c.maand <= filters.tot)
    if filters.organisatie is not None:
        conditions.append(_CEL.c.organisatie == filters.organisatie)
    if filters.bereik is not None:
        conditions.append(_zicht_filter(filters.bereik))
    aantal = func.sum(_CEL.c.aantal)
    return (
        select(
            *(c.label(g.value) for c, g in zip(columns, filters.groepeer_op, strict=True)),
            aantal.label("aantal"),
            func.sum(_CEL.c.sleutelsom).label("sleutelsom"),
        )
        .where(and_(*conditions))
        .group_by(*columns)
        .having(aantal > 0)
        .order_by(*columns)
    )


def query_voor(filters: StatistiekFilter, bron: rollup.Rollup | None) -> Select[Any]:
    return statistiek_query(filters) if bron is None else rollup_query(bron, filters)


async def tel(
    session: AsyncSession, filters: StatistiekFilter, bron: rollup.Rollup | None
) -> Sequence[Any]:
    result = await session.execute(query_voor(filters, bron))
    return list(result.mappings().all())


# ---- maintenance ------------------------------------------------------------------------------


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind else "postgresql"


async def herbouw(session: AsyncSession) -> dict[str, int]:
    """Recompute every rollup from the meldingen; returns the rows per rollup.

    On PostgreSQL the table is locked first: creates wait for the rebuild instead of adding to
    rows it is about to replace, and the rebuild waits for creates still in flight.
    """
    if _dialect(session) == "postgresql":
        await session.execute(text("LOCK TABLE meldingen.statistiek_cel IN EXCLUSIVE MODE"))
    ontbrekend = (await session.scalars(rollup.zonder_sleutel())).all()
    for start in range(0, len(ontbrekend), 1000):
        await session.execute(
            RecordSleutel.__table__.insert(),  # type: ignore[attr-defined]
            [
                {"melding_id": m, "sleutel": secrets.randbelow(256)}
                for m in ontbrekend[start : start + 1000]
            ],
        )
    await session.execute(rollup.leeg_alles())
    for bron in rollup.GROEPERINGEN:
        await session.execute(rollup.vul(bron))
    return await rijen_per_rollup(session)


async def rijen_per_rollup(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(_CEL.c.groepering, func.count())
        .where(_CEL.c.aantal != 0)
        .group_by(_CEL.c.groepering)
    )
    counts = {str(name): int(n) for name, n in rows.all()}
    return {r.naam: counts.get(r.naam, 0) for r in rollup.GROEPERINGEN}


async def verschuif(session: AsyncSession, melding_ids: Sequence[Any], teken: int) -> None:
    """Take away (-1) or add back (+1) these meldingen in every rollup, in chunks."""
    for start in range(0, len(melding_ids), 500):
        chunk = list(melding_ids[start : start + 500])
        for bron in rollup.GROEPERINGEN:
            await session.execute(rollup.verschuif(_dialect(session), bron, chunk, teken))


async def cellen(session: AsyncSession) -> list[tuple[Any, ...]]:
    """Every non-empty cell, sorted: to compare the maintained rollups with a rebuild."""
    rows = await session.execute(
        select(_CEL).where(_CEL.c.aantal != 0).order_by(*(_CEL.c[c] for c in rollup.PK))
    )
    return [tuple(row) for row in rows.all()]
