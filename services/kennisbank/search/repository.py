"""Every query of the search index; identical SQL on PostgreSQL and SQLite."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    LargeBinary,
    String,
    Uuid,
    bindparam,
    delete,
    func,
    literal,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.kennisbank.artikel.models import Artikel, ArtikelDoelgroep, ArtikelThema
from services.kennisbank.db import SCHEMA
from services.kennisbank.search.bitsets import Taxonomie, bitset, uit_blokken, zet_bit
from services.kennisbank.search.indexering import Indexvelden
from services.kennisbank.search.models import (
    BLOKBITS,
    Zoekbits,
    Zoekdocument,
    Zoekstatistiek,
    Zoekterm,
    Zoekwoord,
)
from services.kennisbank.search.zoekmachine import Filters, Weergave

STATISTIEK_ID = 1
_REEKS = 500
"""Rows per multi-row INSERT: well below both drivers' bind-parameter limits."""


def _insert(session: AsyncSession, tabel: Any) -> Any:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(tabel)


# --- writing --------------------------------------------------------------------------------


async def _pas_statistiek_aan(
    session: AsyncSession, aantal: int, titel: int, samenvatting: int, inhoud: int
) -> None:
    stmt = _insert(session, Zoekstatistiek).values(
        id=STATISTIEK_ID,
        versie=1,
        aantal=aantal,
        totaal_titel=titel,
        totaal_samenvatting=samenvatting,
        totaal_inhoud=inhoud,
    )
    tabel: Any = Zoekstatistiek.__table__  # type: ignore[attr-defined]
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"],
        set_={
            "versie": tabel.c.versie + 1,
            "aantal": tabel.c.aantal + aantal,
            "totaal_titel": tabel.c.totaal_titel + titel,
            "totaal_samenvatting": tabel.c.totaal_samenvatting + samenvatting,
            "totaal_inhoud": tabel.c.totaal_inhoud + inhoud,
        },
    )
    await session.execute(stmt)


def termrijen(artikel_id: uuid.UUID, velden: Indexvelden, nummer: int) -> list[dict[str, Any]]:
    """The ``zoekterm`` rows of one article (also used by the benchmark's bulk load)."""
    impacten = velden.impacten(nummer)
    return [
        {
            "stam": stam,
            "artikel_id": artikel_id,
            "tf_titel": tf["titel"],
            "tf_samenvatting": tf["samenvatting"],
            "tf_inhoud": tf["inhoud"],
            "impact": impacten[stam],
        }
        for stam, tf in velden.tellingen().items()
    ]


async def _zet_bits(session: AsyncSession, stammen: Sequence[str], nummer: int, aan: bool) -> None:
    """Set (or clear) article ``nummer``'s bit in each stem's stored bitset: one block per
    stem read and written. Index writers are queued by the statistics row's lock, taken
    first in the same transaction, so this read-modify-write never races another."""
    blok, positie = divmod(nummer, BLOKBITS)
    for begin in range(0, len(stammen), _REEKS):
        deel = list(stammen[begin : begin + _REEKS])
        rijen = await session.execute(
            select(col(Zoekbits.stam), col(Zoekbits.bits)).where(
                col(Zoekbits.blok) == blok, col(Zoekbits.stam).in_(deel)
            )
        )
        huidig: dict[str, bytes] = {stam: bytes(bits) for stam, bits in rijen.tuples()}
        nieuw = {stam: zet_bit(huidig.get(stam), positie, aan) for stam in deel}
        leeg = sorted(stam for stam, bits in nieuw.items() if not bits)
        if leeg:
            await session.execute(
                delete(Zoekbits).where(col(Zoekbits.blok) == blok, col(Zoekbits.stam).in_(leeg))
            )
        gevuld = [{"stam": s, "blok": blok, "bits": b} for s, b in sorted(nieuw.items()) if b]
        if gevuld:
            stmt = _insert(session, Zoekbits).values(gevuld)
            stmt = stmt.on_conflict_do_update(
                index_elements=["stam", "blok"], set_={"bits": stmt.excluded.bits}
            )
            await session.execute(stmt)


async def voeg_toe(
    session: AsyncSession, artikel_id: uuid.UUID, velden: Indexvelden, tekst: str
) -> None:
    """Index one published article (call :func:`verwijder` first when it was indexed)."""
    # The statistics row first: on PostgreSQL its row lock queues concurrent index writers,
    # so the next free number below is never handed out twice.
    await _pas_statistiek_aan(
        session, 1, len(velden.titel), len(velden.samenvatting), len(velden.inhoud)
    )
    nummer = int(await session.scalar(select(func.max(col(Zoekdocument.nummer)))) or 0) + 1
    woorden = sorted(velden.woorden)
    session.add(
        Zoekdocument(
            artikel_id=artikel_id,
            nummer=nummer,
            lengte_titel=len(velden.titel),
            lengte_samenvatting=len(velden.samenvatting),
            lengte_inhoud=len(velden.inhoud),
            tekst=tekst,
            woorden=" ".join(woorden),
        )
    )
    await session.flush()
    rijen = termrijen(artikel_id, velden, nummer)
    for begin in range(0, len(rijen), _REEKS):
        await session.execute(_insert(session, Zoekterm).values(rijen[begin : begin + _REEKS]))
    await _zet_bits(session, [r["stam"] for r in rijen], nummer, True)
    woordtabel: Any = Zoekwoord.__table__  # type: ignore[attr-defined]
    for begin in range(0, len(woorden), _REEKS):
        stmt = _insert(session, Zoekwoord).values(
            [{"woord": w, "aantal": 1} for w in woorden[begin : begin + _REEKS]]
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["woord"], set_={"aantal": woordtabel.c.aantal + 1}
        )
        await session.execute(stmt)


async def verwijder(session: AsyncSession, artikel_id: uuid.UUID) -> bool:
    """Take an article out of the index; False when it was not in it."""
    document = await session.get(Zoekdocument, artikel_id)
    if document is None:
        return False
    # The statistics row first, as in voeg_toe: its row lock queues index writers on
    # PostgreSQL, so the read-modify-write of the stored bitset blocks below never
    # races another writer's (which would lose its bit).
    await _pas_statistiek_aan(
        session,
        -1,
        -document.lengte_titel,
        -document.lengte_samenvatting,
        -document.lengte_inhoud,
    )
    woorden = document.woorden.split()
    for begin in range(0, len(woorden), _REEKS):
        await session.execute(
            update(Zoekwoord)
            .where(col(Zoekwoord.woord).in_(woorden[begin : begin + _REEKS]))
            .values(aantal=col(Zoekwoord.aantal) - 1)
        )
    await session.execute(delete(Zoekwoord).where(col(Zoekwoord.aantal) <= 0))
    stammen = await session.scalars(
        select(col(Zoekterm.stam)).where(col(Zoekterm.artikel_id) == artikel_id)
    )
    await _zet_bits(session, sorted(stammen), document.nummer, False)
    await session.execute(delete(Zoekterm).where(col(Zoekterm.artikel_id) == artikel_id))
    await session.delete(document)
    await session.flush()
    return True


# --- reading --------------------------------------------------------------------------------


async def versie(session: AsyncSession) -> int:
    waarde = await session.scalar(
        select(col(Zoekstatistiek.versie)).where(col(Zoekstatistiek.id) == STATISTIEK_ID)
    )
    return int(waarde or 0)


async def woorden(session: AsyncSession) -> dict[str, int]:
    rijen = await session.execute(select(col(Zoekwoord.woord), col(Zoekwoord.aantal)))
    return {woord: aantal for woord, aantal in rijen.tuples()}


async def taxonomie(session: AsyncSession) -> Taxonomie:
    """Per thema, doelgroep and type the numbers of the indexed articles, as bitsets."""
    nummer = col(Zoekdocument.nummer)
    delen: list[Any] = [
        select(literal("t"), col(ArtikelThema.thema), nummer).join_from(
            ArtikelThema, Zoekdocument, col(Zoekdocument.artikel_id) == col(ArtikelThema.artikel_id)
        ),
        select(literal("d"), col(ArtikelDoelgroep.doelgroep), nummer).join_from(
            ArtikelDoelgroep,
            Zoekdocument,
            col(Zoekdocument.artikel_id) == col(ArtikelDoelgroep.artikel_id),
        ),
        select(literal("s"), col(Artikel.type), nummer).join_from(
            Artikel, Zoekdocument, col(Zoekdocument.artikel_id) == col(Artikel.id)
        ),
    ]
    per_soort: dict[str, dict[str, list[int]]] = {"t": {}, "d": {}, "s": {}}
    for soort, waarde, n in (await session.execute(union_all(*delen))).tuples():
        per_soort[soort].setdefault(str(waarde), []).append(int(n))
    aantal = await session.scalar(
        select(col(Zoekstatistiek.aantal)).where(col(Zoekstatistiek.id) == STATISTIEK_ID)
    )
    bits = {soort: {w: bitset(ns) for w, ns in per_soort[soort].items()} for soort in per_soort}
    return Taxonomie(bits["t"], bits["d"], bits["s"], int(aantal or 0))


async def stambits(session: AsyncSession, stammen: Sequence[str]) -> dict[str, int]:
    """Per stem the bitset of the articles holding it (every stem asked is a key): a few
    stored blocks per stem, whatever the number of its postings."""
    delen: dict[str, list[tuple[int, bytes]]] = {stam: [] for stam in stammen}
    rijen = await session.execute(
        select(col(Zoekbits.stam), col(Zoekbits.blok), col(Zoekbits.bits)).where(
            col(Zoekbits.stam).in_(stammen)
        )
    )
    for stam, blok, bits in rijen.tuples():
        delen[stam].append((int(blok), bytes(bits)))
    return {stam: uit_blokken(lijst, BLOKBITS) for stam, lijst in delen.items()}


# The statements of a search are built as text once per shape (number of stems, which
# filters) and cached: constructing them in SQLAlchemy Core per search cost ~20 % of a
# search's Python time (construction and cache-key work). The text is the same on both
# databases; only the values vary, as bound parameters (hence the S608 waivers: only
# the schema constant and placeholder names are formatted into the text).

_T = SCHEMA
_REGELS = {
    "thema": f"EXISTS (SELECT 1 FROM {_T}.artikel_thema ft"  # noqa: S608
    " WHERE ft.artikel_id = z.artikel_id AND ft.thema = :thema)",
    "doelgroep": f"EXISTS (SELECT 1 FROM {_T}.artikel_doelgroep fd"  # noqa: S608
    " WHERE fd.artikel_id = z.artikel_id AND fd.doelgroep = :doelgroep)",
    "type": f"EXISTS (SELECT 1 FROM {_T}.artikel fa"  # noqa: S608
    " WHERE fa.id = z.artikel_id AND fa.type = :type)",
}
_KOLOMMEN = {
    "soort": String,
    "stam": String,
    # the key as the driver gives it (PostgreSQL a UUID, SQLite its 32 hex digits) and
    # str() of that as the article's key: no uuid.UUID per row (~15 % of a deep search's
    # CPU on SQLite). The two forms differ but order alike, and a key only ever meets
    # keys of its own database.
    "artikel_id": String,
    "impact": Float,
    "getal": Integer,
    "bits": LargeBinary,
}
_KOLOMMEN_P = {naam: _KOLOMMEN[naam] for naam in ("soort", "stam", "artikel_id", "impact")}
"""The columns of postings and impacts rows."""
_LEEG = (
    "CAST(NULL AS VARCHAR(64))",
    "CAST(NULL AS UUID)",
    "CAST(NULL AS FLOAT)",
    "CAST(NULL AS INTEGER)",
    "CAST(NULL AS BYTEA)",
)
"""Typed NULLs for the columns a part has no value for (SQLite accepts any type name)."""


def _gekozen(filters: Filters) -> tuple[str, ...]:
    return tuple(naam for naam in _REGELS if getattr(filters, naam) is not None)


def _waarden(stammen: Sequence[str], filters: Filters, **overig: Any) -> dict[str, Any]:
    waarden: dict[str, Any] = {f"s{i}": stam for i, stam in enumerate(stammen)}
    waarden.update({naam: str(getattr(filters, naam)) for naam in _gekozen(filters)})
    waarden.update(overig)
    return waarden


def _slices_sql(aantal: int, gekozen: tuple[str, ...]) -> str:
    """Per stem ``:s<i>`` positions ``:van`` to ``:van + :lengte`` of its postings that
    pass the filters: a walk down the (stam, impact, artikel_id) index, as deep as the
    slice and no deeper; (soort, stam, artikel_id, impact) rows."""
    extra = "".join(f" AND {_REGELS[naam]}" for naam in gekozen)
    return " UNION ALL ".join(
        f"SELECT 'p' AS soort, p{i}.stam, p{i}.artikel_id, p{i}.impact FROM"  # noqa: S608
        f" (SELECT z.stam, z.artikel_id, z.impact FROM {_T}.zoekterm z"
        f" WHERE z.stam = :s{i}{extra}"
        f" ORDER BY z.impact DESC, z.artikel_id DESC LIMIT :lengte OFFSET :van) p{i}"
        for i in range(aantal)
    )


def _impacten_sql(aantal: int, staart: str) -> str:
    """Per stem ``:s<j>`` and article of ``artikelen`` its impact, when it holds the stem:
    a correlated lookup per article and stem, one probe of the (stam, artikel_id) primary
    key each on both databases (a join would let the planner scan every posting of the
    stems instead, which grows with the corpus)."""
    return " UNION ALL ".join(
        f"SELECT soort, stam, artikel_id, impact{staart} FROM"  # noqa: S608
        f" (SELECT 'i' AS soort, CAST(:s{j} AS VARCHAR(64)) AS stam, a.artikel_id,"
        f" (SELECT z.impact FROM {_T}.zoekterm z"
        f" WHERE z.stam = :s{j} AND z.artikel_id = a.artikel_id) AS impact"
        f" FROM artikelen a) i{j} WHERE impact IS NOT NULL"
        for j in range(aantal)
    )


def _lees_sql(open_: int, aantal: int, gekozen: tuple[str, ...], staart: str = "") -> str:
    """The slices of the first ``open_`` stems and every impact, over all ``aantal``
    stems, of the articles they name; ``staart``: extra columns of every row (for the
    opening's other parts)."""
    return (
        f"WITH gelezen AS ({_slices_sql(open_, gekozen)}),"  # noqa: S608
        " artikelen AS (SELECT DISTINCT artikel_id FROM gelezen)"
        f" SELECT soort, stam, artikel_id, impact{staart} FROM gelezen"
        f" UNION ALL {_impacten_sql(aantal, staart)}"
    )


@functools.cache
def _postings_stmt(aantal: int, gekozen: tuple[str, ...]) -> Any:
    return text(_slices_sql(aantal, gekozen)).columns(**_KOLOMMEN_P)


@functools.cache
def _lees_stmt(open_: int, aantal: int, gekozen: tuple[str, ...]) -> Any:
    return text(_lees_sql(open_, aantal, gekozen)).columns(**_KOLOMMEN_P)


@functools.cache
def _opening_stmt(aantal: int, gekozen: tuple[str, ...], bits: bool) -> Any:
    """:func:`_lees_sql` of the query's stems, then the stored bitset blocks of the stems
    ``:ontbrekend`` (when ``bits``) and the index version: (…, getal, bits) rows."""
    leeg_stam, leeg_id, leeg_impact, leeg_getal, leeg_bits = _LEEG
    staart = f", {leeg_getal} AS getal, {leeg_bits} AS bits"
    delen = [_lees_sql(aantal, aantal, gekozen, staart)]
    if bits:
        delen.append(
            f"SELECT 'b', b.stam, {leeg_id}, {leeg_impact}, b.blok, b.bits"  # noqa: S608
            f" FROM {_T}.zoekbits b WHERE b.stam IN :ontbrekend"
        )
    delen.append(
        f"SELECT 'v', {leeg_stam}, {leeg_id}, {leeg_impact}, v.versie, {leeg_bits}"  # noqa: S608
        f" FROM {_T}.zoekstatistiek v WHERE v.id = {STATISTIEK_ID}"
    )
    stmt = text(" UNION ALL ".join(delen))
    if bits:
        stmt = stmt.bindparams(bindparam("ontbrekend", expanding=True))
    return stmt.columns(**_KOLOMMEN)


def _geordend(
    resultaat: dict[str, list[tuple[str, float]]],
) -> dict[str, list[tuple[str, float]]]:
    # UNION ALL does not promise to keep each part's order: restore it
    return {
        stam: sorted(lijst, key=lambda r: (r[1], r[0]), reverse=True)
        for stam, lijst in resultaat.items()
    }


async def postings(
    session: AsyncSession, stammen: Sequence[str], filters: Filters, van: int, tot: int
) -> dict[str, list[tuple[str, float]]]:
    """Per stem a slice of its postings, best impact first."""
    if not stammen:
        return {}
    resultaat: dict[str, list[tuple[str, float]]] = {stam: [] for stam in stammen}
    rijen = await session.execute(
        _postings_stmt(len(stammen), _gekozen(filters)),
        _waarden(stammen, filters, van=van, lengte=tot - van),
    )
    for _, stam, artikel_id, waarde in rijen.tuples():
        resultaat[stam].append((str(artikel_id), float(waarde)))
    return _geordend(resultaat)


Lezing = tuple[dict[str, list[tuple[str, float]]], dict[str, dict[str, float]]]


def _lezing(rijen: Any, open_: Sequence[str]) -> tuple[Lezing, list[Any]]:
    """The slices and impacts among ``rijen``; the rows of other kinds returned apart."""
    lijsten: dict[str, list[tuple[str, float]]] = {stam: [] for stam in open_}
    impacten: dict[str, dict[str, float]] = {}
    overig = []
    for rij in rijen:
        soort, stam, artikel_id, waarde = rij[:4]
        if soort == "p":
            lijsten[stam].append((str(artikel_id), float(waarde)))
        elif soort == "i":
            impacten.setdefault(str(artikel_id), {})[stam] = float(waarde)
        else:
            overig.append(rij)
    return (_geordend(lijsten), impacten), overig


def _lees_waarden(
    open_: Sequence[str], stammen: Sequence[str], filters: Filters, van: int, tot: int
) -> tuple[list[str], dict[str, Any]]:
    """The stems of a :func:`_lees_sql` statement (``open_`` first, the slices are read
    for those) and its values."""
    alle = list(open_) + [s for s in stammen if s not in open_]
    return alle, _waarden(alle, filters, van=van, lengte=tot - van)


async def lees(
    session: AsyncSession,
    open_: Sequence[str],
    stammen: Sequence[str],
    filters: Filters,
    van: int,
    tot: int,
) -> Lezing:
    """The slices of :func:`postings` and, in the same statement, every query impact of
    the articles they name (primary-key lookups on (stam, artikel_id))."""
    if not open_:
        return {}, {}
    alle, waarden = _lees_waarden(open_, stammen, filters, van, tot)
    stmt = _lees_stmt(len(open_), len(alle), _gekozen(filters))
    rijen = await session.execute(stmt, waarden)
    return _lezing(rijen.tuples(), open_)[0]


@dataclass(frozen=True, slots=True)
class Opening:
    versie: int
    stambits: dict[str, int]
    lezing: Lezing


async def opening(
    session: AsyncSession,
    ontbrekend: Sequence[str],
    stammen: Sequence[str],
    filters: Filters,
    tot: int,
) -> Opening:
    """What a search needs first, in one statement (one round trip): the index version,
    the stored bitsets of the stems ``ontbrekend`` and the first :func:`lees` round."""
    waarden = _waarden(stammen, filters, van=0, lengte=tot)
    if ontbrekend:
        waarden["ontbrekend"] = list(ontbrekend)
    stmt = _opening_stmt(len(stammen), _gekozen(filters), bool(ontbrekend))
    rijen = await session.execute(stmt, waarden)
    lezing, overig = _lezing(rijen.tuples(), stammen)
    versie = 0
    blokken: dict[str, list[tuple[int, bytes]]] = {stam: [] for stam in ontbrekend}
    for soort, stam, _, _, getal, bits in overig:
        if soort == "v":
            versie = int(getal)
        else:
            blokken[stam].append((int(getal), bytes(bits)))
    return Opening(
        versie, {stam: uit_blokken(lijst, BLOKBITS) for stam, lijst in blokken.items()}, lezing
    )


_IMPACTEN = (
    text(
        "SELECT z.artikel_id, z.stam, z.impact"  # noqa: S608
        f" FROM {_T}.zoekterm z WHERE z.stam IN :stammen AND z.artikel_id IN :ids"
    )
    .bindparams(bindparam("stammen", expanding=True), bindparam("ids", expanding=True, type_=Uuid))
    .columns(artikel_id=String, stam=String, impact=Float)
)
_WEERGAVEN = (
    text(
        "SELECT a.id, a.slug, a.titel, a.samenvatting, d.tekst"  # noqa: S608
        f" FROM {_T}.artikel a JOIN {_T}.zoekdocument d ON d.artikel_id = a.id"
        " WHERE a.id IN :ids"
    )
    .bindparams(bindparam("ids", expanding=True, type_=Uuid))
    .columns(id=String, slug=String, titel=String, samenvatting=String, tekst=String)
)


PEILKOSTEN = 40
"""What one primary-key probe of ``zoekterm`` costs, in index entries of a stem read in
order (PostgreSQL 15, 20,000 articles: ~3,300 probes 21 ms, 76,000 entries 9-13 ms)."""


@functools.cache
def _peil_stmt(aantal: int) -> Any:
    """:func:`_impacten_sql` of the articles ``:ids``: a probe per article and stem."""
    return (
        text(
            f"WITH artikelen AS (SELECT d.artikel_id FROM {_T}.zoekdocument d"  # noqa: S608
            f" WHERE d.artikel_id IN :ids) {_impacten_sql(aantal, '')}"
        )
        .bindparams(bindparam("ids", expanding=True, type_=Uuid))
        .columns(**_KOLOMMEN_P)
    )


async def impacten(
    session: AsyncSession,
    sleutels: Sequence[str],
    stammen: Sequence[str],
    postings: int | None = None,
) -> dict[str, dict[str, float]]:
    """Each article's impacts for the query's stems. ``postings``: how many the stems
    have together, when known. ``stam IN … AND artikel_id IN …`` lets PostgreSQL's
    planner walk every posting of the stems, which grows with the corpus; when that
    costs more than a probe per article and stem, probe instead (same rows)."""
    ids = [uuid.UUID(s) for s in sleutels]
    resultaat: dict[str, dict[str, float]] = {s: {} for s in sleutels}
    for begin in range(0, len(ids), _REEKS):
        deel = ids[begin : begin + _REEKS]
        if postings is not None and len(deel) * len(stammen) * PEILKOSTEN < postings:
            waarden = _waarden(stammen, Filters(), ids=deel)
            rijen = await session.execute(_peil_stmt(len(stammen)), waarden)
            paren = [(artikel_id, stam, waarde) for _, stam, artikel_id, waarde in rijen]
        else:
            rijen = await session.execute(_IMPACTEN, {"stammen": list(stammen), "ids": deel})
            paren = list(rijen.tuples())
        for artikel_id, stam, waarde in paren:
            resultaat[str(artikel_id)][stam] = float(waarde)
    return resultaat


async def weergaven(session: AsyncSession, sleutels: Sequence[str]) -> dict[str, Weergave]:
    if not sleutels:
        return {}
    rijen = await session.execute(_WEERGAVEN, {"ids": [uuid.UUID(s) for s in sleutels]})
    return {
        str(artikel_id): Weergave(slug, titel, samenvatting, tekst)
        for artikel_id, slug, titel, samenvatting, tekst in rijen.tuples()
    }
