"""The monthly rollups: which ones exist, a melding's cells in them, and the set-based SQL.

Every rollup holds, per month and per combination of its dimensions, the number of meldingen
and the sum of their record keys. Both add up, so any grouping a rollup covers is answered by
summing its rows, and the same set of meldingen reached through two rollups (or through the
scan of the meldingen) has the same count and the same key sum: the same published value.

Why these rollups: one cube over all dimensions would be as large as the melding table
itself, and every dimension added multiplies the rows by its number of values. So each kind
of question reads a table sized for it (rows measured with benchmarks/statistieken.py, 200,000
meldingen, 50 organisations, 60 months; the small tables are already full there and do not
grow with more meldingen):

- national (analysts without an organisation): one table per single dimension for the
  common questions (gedragstype 180 rows, functie 720, vorm 600), and two or three
  dimensions together for combinations (22,000 / 22,000 / 8,700 rows);
- per organisation for analysts, who read all organisations at once: month alone (3,000),
  gedragstype (9,000), and gedragstype with status and prioriteit, or with vorm (56,000 /
  89,000); never functie (organisation by function is refused);
- a handler's reach (`zicht` kept apart), read one organisation at a time, so the wider
  pairs are affordable: month alone, gedragstype+status+prioriteit, functie+gedragstype,
  gedragstype+vorm (8,000 / 66,000 / 102,000 / 114,000 rows; about 2,000 per organisation).

A grouping no rollup covers (e.g. functie with status for a handler) scans the meldingen: the
same count and key sum, so the same published value, only slower. `vorm` is multi-valued (a
melding counts in every form it names), so it lives in rollups of its own and is never summed
into a grouping that does not ask for it. A create adds about 9 + 5 x (number of forms) cell
rows in one statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from math import prod
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Delete,
    Executable,
    Insert,
    Select,
    String,
    TextClause,
    and_,
    case,
    delete,
    func,
    literal,
    select,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.meldingen.db import SCHEMA
from services.meldingen.melding.models import Melding
from services.meldingen.statistiek.enums import Groepering
from services.meldingen.statistiek.models import MeldingVorm, RecordSleutel, StatistiekCel

# The dimensions a rollup may carry besides organisation and month, with their number of values.
DIMENSIES: dict[Groepering, int] = {
    Groepering.gedragstype: 3,
    Groepering.vorm: 10,
    Groepering.functie: 12,
    Groepering.status: 5,
    Groepering.prioriteit: 3,
}
LEEG = ""  # a dimension the rollup does not carry


class Niveau(IntEnum):
    """What a rollup keeps apart besides its dimensions; a higher level answers lower ones."""

    landelijk = 0  # nothing: national figures of an analyst
    organisatie = 1  # the organisation: an analyst's filter or grouping by organisatie
    bereik = 2  # organisation and `zicht`: a handler's reach (always one organisation, or OWB)


@dataclass(frozen=True)
class Rollup:
    dimensies: frozenset[Groepering]
    niveau: Niveau

    @property
    def per_organisatie(self) -> bool:
        return self.niveau >= Niveau.organisatie

    @property
    def naam(self) -> str:
        return f"{self.niveau.name}:{'+'.join(sorted(self.dimensies)) or 'maand'}"

    @property
    def omvang(self) -> int:
        """Cells per month (per organisation): the rank when several rollups could answer."""
        return prod(DIMENSIES[d] for d in self.dimensies)


def _rollup(niveau: Niveau, *dimensies: Groepering) -> Rollup:
    return Rollup(frozenset(dimensies), niveau)


G, V, F, S, P = (
    Groepering.gedragstype,
    Groepering.vorm,
    Groepering.functie,
    Groepering.status,
    Groepering.prioriteit,
)
LAND, ORG, BEREIK = Niveau.landelijk, Niveau.organisatie, Niveau.bereik
GROEPERINGEN: tuple[Rollup, ...] = (
    # National (analysts): one-dimension tables for the common questions (a few hundred
    # rows), then wider ones for combinations.
    _rollup(LAND, G),
    _rollup(LAND, F),
    _rollup(LAND, V),
    _rollup(LAND, G, F, S, P),
    _rollup(LAND, V, G, F),
    _rollup(LAND, V, S, P),
    # Per organisation (analysts: all organisations at once, so kept small; no functie).
    _rollup(ORG),
    _rollup(ORG, G),
    _rollup(ORG, G, S, P),
    _rollup(ORG, V, G),
    # A handler's reach: one organisation at a time, so wider combinations are affordable.
    _rollup(BEREIK),
    _rollup(BEREIK, G, S, P),
    _rollup(BEREIK, F, G),
    _rollup(BEREIK, V, G),
)
BY_NAAM = {r.naam: r for r in GROEPERINGEN}


def kies(groepeer_op: Iterable[Groepering], *, niveau: Niveau) -> Rollup | None:
    """The smallest rollup that answers this grouping, or None (then the meldingen are scanned).

    `niveau`: organisation when the grouping groups or filters by organisation, reach when it
    is a handler's. `vorm` only from a rollup with `vorm`, and a rollup with `vorm` only when
    `vorm` is asked: it counts a melding once per form.
    """
    nodig = set(groepeer_op) - {Groepering.maand, Groepering.organisatie}
    kandidaten = [
        r
        for r in GROEPERINGEN
        if r.niveau >= niveau
        and nodig <= r.dimensies
        and (Groepering.vorm in nodig) == (Groepering.vorm in r.dimensies)
    ]
    if not kandidaten:
        return None
    return min(kandidaten, key=lambda r: (r.niveau, r.omvang, r.naam))


# ---- a melding's cells (maintenance in the request's transaction) ----------------------------


def zicht_van(vertrouwelijk: bool, owb_bereik: bool) -> int:
    """0: the own organisation's handlers; 1: also the national team; 2: national team only."""
    if vertrouwelijk:
        return 2
    return 1 if owb_bereik else 0


@dataclass(frozen=True)
class Feiten:
    """What the rollups know of one melding."""

    organisatie: str
    maand: str
    zicht: int
    gedragstype: str
    vormen: tuple[str, ...]
    functie: str
    status: str
    prioriteit: str

    @classmethod
    def van(cls, melding: Melding) -> Feiten:
        return cls(
            organisatie=melding.organisatie,
            maand=melding.maand_voorval,
            zicht=zicht_van(melding.vertrouwelijk, melding.owb_bereik),
            gedragstype=str(melding.gedragstype),
            vormen=tuple(dict.fromkeys(str(v) for v in melding.vormen)),
            functie=str(melding.functie),
            status=str(melding.status),
            prioriteit=str(melding.prioriteit),
        )


CelSleutel = tuple[str, str, str, int, str, str, str, str, str]
PK = (
    "groepering",
    "organisatie",
    "maand",
    "zicht",
    "gedragstype",
    "vorm",
    "functie",
    "status",
    "prioriteit",
)


def cellen(feiten: Feiten) -> Iterator[CelSleutel]:
    """The cell of this melding in every rollup (one per form in a rollup with `vorm`)."""
    for r in GROEPERINGEN:
        d = r.dimensies
        for vorm in feiten.vormen if V in d else (LEEG,):
            yield (
                r.naam,
                feiten.organisatie if r.per_organisatie else LEEG,
                feiten.maand,
                feiten.zicht if r.niveau is Niveau.bereik else 0,
                feiten.gedragstype if G in d else LEEG,
                vorm,
                feiten.functie if F in d else LEEG,
                feiten.status if S in d else LEEG,
                feiten.prioriteit if P in d else LEEG,
            )


def _insert_for(dialect: str) -> Any:
    return pg_insert if dialect == "postgresql" else sqlite_insert


@cache
def _upsert(dialect: str) -> Insert:
    """One cell's upsert, built once: run with many rows it is compiled and prepared once."""
    table = StatistiekCel.__table__  # type: ignore[attr-defined]
    statement = _insert_for(dialect)(table)
    return statement.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=list(PK),
        set_={
            "aantal": table.c.aantal + statement.excluded.aantal,
            "sleutelsom": table.c.sleutelsom + statement.excluded.sleutelsom,
        },
    )


_PG_TYPES = ("text",) * 3 + ("smallint",) + ("text",) * 5 + ("integer", "bigint")


def _pg_upsert_sql() -> str:
    """PostgreSQL: all of a flush's cells in one statement, as arrays (one plan, one trip)."""
    columns = [*PK, "aantal", "sleutelsom"]
    arrays = ", ".join(f"CAST(:{c} AS {t}[])" for c, t in zip(columns, _PG_TYPES, strict=True))
    keys = ", ".join(PK)
    # Only constant identifiers are formatted in; the values are bound parameters.
    sql = (
        f"INSERT INTO {SCHEMA}.statistiek_cel ({', '.join(columns)}) "  # noqa: S608
        f"SELECT * FROM unnest({arrays}) "
        f"ON CONFLICT ({keys}) DO UPDATE SET "
        "aantal = statistiek_cel.aantal + excluded.aantal, "
        "sleutelsom = statistiek_cel.sleutelsom + excluded.sleutelsom"
    )
    return sql


@cache
def _pg_upsert() -> TextClause:
    return text(_pg_upsert_sql())


@cache
def _pg_upsert_met_sleutels() -> TextClause:
    """The same, with the flush's new record keys written in the same statement."""
    sleutels = (
        f"WITH sleutels AS (INSERT INTO {SCHEMA}.statistiek_sleutel (melding_id, sleutel) "  # noqa: S608
        "SELECT * FROM unnest(CAST(:sleutel_ids AS uuid[]), CAST(:sleutels AS smallint[]))) "
    )
    return text(sleutels + _pg_upsert_sql())


def schrijf(
    dialect: str,
    delta: dict[CelSleutel, tuple[int, int]],
    sleutels: Sequence[tuple[Any, int]] = (),
) -> list[tuple[Executable, Any]]:
    """The statements (with parameters) that store new record keys and add (count, key sum)
    to each cell. Cells sorted, so two transactions lock shared cells in the same order."""
    rows = [(*cel, n, som) for cel, (n, som) in sorted(delta.items()) if n != 0 or som != 0]
    columns = [*PK, "aantal", "sleutelsom"]
    if dialect == "postgresql":
        arrays: dict[str, Any] = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
        if sleutels:
            arrays["sleutel_ids"] = [m for m, _ in sleutels]
            arrays["sleutels"] = [k for _, k in sleutels]
            return [(_pg_upsert_met_sleutels(), arrays)]
        return [(_pg_upsert(), arrays)] if rows else []
    out: list[tuple[Executable, Any]] = []
    if sleutels:
        keys = RecordSleutel.__table__.insert()  # type: ignore[attr-defined]
        out.append((keys, [{"melding_id": m, "sleutel": k} for m, k in sleutels]))
    if rows:
        out.append((_upsert(dialect), [dict(zip(columns, r, strict=True)) for r in rows]))
    return out


# ---- set-based: rebuild, and retention's decrement/increment -------------------------------


def _zicht_sql() -> ColumnElement[int]:
    m = Melding.__table__  # type: ignore[attr-defined]
    return case(
        (m.c.vertrouwelijk.is_(True), 2),
        (m.c.owb_bereik.is_(True), 1),
        else_=0,
    )


def aggregaat(
    rollup: Rollup, *, teken: int = 1, melding_ids: Sequence[Any] | None = None
) -> Select[Any]:
    """The rollup's rows computed from the meldingen (times `teken`), optionally for some ids."""
    m = Melding.__table__  # type: ignore[attr-defined]
    k = RecordSleutel.__table__  # type: ignore[attr-defined]
    v = MeldingVorm.__table__  # type: ignore[attr-defined]
    d = rollup.dimensies
    leeg = literal(LEEG, String)
    grouped: list[ColumnElement[Any]] = [m.c.maand_voorval]
    organisatie: ColumnElement[Any] = leeg
    zicht: ColumnElement[Any] = literal(0)
    if rollup.per_organisatie:
        organisatie = m.c.organisatie
        grouped.append(organisatie)
    if rollup.niveau is Niveau.bereik:
        zicht = _zicht_sql()
        grouped.append(zicht)
    dims: dict[str, ColumnElement[Any]] = {}
    for name, column in (
        ("gedragstype", m.c.gedragstype),
        ("vorm", v.c.vorm),
        ("functie", m.c.functie),
        ("status", m.c.status),
        ("prioriteit", m.c.prioriteit),
    ):
        dims[name] = column if Groepering(name) in d else leeg
        if Groepering(name) in d:
            grouped.append(column)
    source = m.join(k, k.c.melding_id == m.c.id)
    if V in d:
        source = source.join(v, v.c.melding_id == m.c.id)
    where = true() if melding_ids is None else m.c.id.in_(melding_ids)
    return (
        select(
            literal(rollup.naam, String).label("groepering"),
            organisatie.label("organisatie"),
            m.c.maand_voorval.label("maand"),
            zicht.label("zicht"),
            *(dims[name].label(name) for name in PK[4:]),
            (teken * func.count()).label("aantal"),
            (teken * func.sum(k.c.sleutel)).label("sleutelsom"),
        )
        .select_from(source)
        .where(where)
        .group_by(*grouped)
    )


def vul(rollup: Rollup) -> Insert:
    table = StatistiekCel.__table__  # type: ignore[attr-defined]
    statement: Insert = table.insert().from_select([*PK, "aantal", "sleutelsom"], aggregaat(rollup))
    return statement


def leeg_alles() -> Delete:
    return delete(StatistiekCel)


def verschuif(dialect: str, rollup: Rollup, melding_ids: Sequence[Any], teken: int) -> Insert:
    """Add (teken=1) or take away (teken=-1) these meldingen's contribution to one rollup."""
    table = StatistiekCel.__table__  # type: ignore[attr-defined]
    statement = _insert_for(dialect)(table).from_select(
        [*PK, "aantal", "sleutelsom"],
        aggregaat(rollup, teken=teken, melding_ids=melding_ids),
    )
    return statement.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=list(PK),
        set_={
            "aantal": table.c.aantal + statement.excluded.aantal,
            "sleutelsom": table.c.sleutelsom + statement.excluded.sleutelsom,
        },
    )


def zonder_sleutel() -> Select[Any]:
    """Meldingen without a record key (none after migration 0006; the rebuild checks)."""
    m = Melding.__table__  # type: ignore[attr-defined]
    k = RecordSleutel.__table__  # type: ignore[attr-defined]
    return select(m.c.id).where(~select(k.c.melding_id).where(k.c.melding_id == m.c.id).exists())


def niet_leeg() -> ColumnElement[bool]:
    return and_(true(), StatistiekCel.__table__.c.aantal != 0)  # type: ignore[attr-defined]
