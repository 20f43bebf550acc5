"""Every query of the search index; identical SQL on PostgreSQL and SQLite."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, and_, case, delete, exists, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from services.kennisbank.artikel.models import Artikel, ArtikelDoelgroep, ArtikelThema
from services.kennisbank.search.indexering import Indexvelden
from services.kennisbank.search.models import Zoekdocument, Zoekstatistiek, Zoekterm, Zoekwoord
from services.kennisbank.search.rangschikking import VOORSCORE, Corpusstatistiek, Kandidaat
from services.kennisbank.search.zoekmachine import Facetten, Filters, Weergave

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


async def voeg_toe(
    session: AsyncSession, artikel_id: uuid.UUID, velden: Indexvelden, tekst: str
) -> None:
    """Index one published article (call :func:`verwijder` first when it was indexed)."""
    woorden = sorted(velden.woorden)
    session.add(
        Zoekdocument(
            artikel_id=artikel_id,
            lengte_titel=len(velden.titel),
            lengte_samenvatting=len(velden.samenvatting),
            lengte_inhoud=len(velden.inhoud),
            tekst=tekst,
            woorden=" ".join(woorden),
        )
    )
    await session.flush()
    tellingen: dict[str, list[int]] = {}
    for positie, veld in enumerate((velden.titel, velden.samenvatting, velden.inhoud)):
        for stam in veld:
            tellingen.setdefault(stam, [0, 0, 0])[positie] += 1
    rijen = [
        {
            "stam": stam,
            "artikel_id": artikel_id,
            "tf_titel": t,
            "tf_samenvatting": s,
            "tf_inhoud": i,
        }
        for stam, (t, s, i) in sorted(tellingen.items())
    ]
    for begin in range(0, len(rijen), _REEKS):
        await session.execute(_insert(session, Zoekterm).values(rijen[begin : begin + _REEKS]))
    woordtabel: Any = Zoekwoord.__table__  # type: ignore[attr-defined]
    for begin in range(0, len(woorden), _REEKS):
        stmt = _insert(session, Zoekwoord).values(
            [{"woord": w, "aantal": 1} for w in woorden[begin : begin + _REEKS]]
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["woord"], set_={"aantal": woordtabel.c.aantal + 1}
        )
        await session.execute(stmt)
    await _pas_statistiek_aan(
        session, 1, len(velden.titel), len(velden.samenvatting), len(velden.inhoud)
    )


async def verwijder(session: AsyncSession, artikel_id: uuid.UUID) -> bool:
    """Take an article out of the index; False when it was not in it."""
    document = await session.get(Zoekdocument, artikel_id)
    if document is None:
        return False
    woorden = document.woorden.split()
    for begin in range(0, len(woorden), _REEKS):
        await session.execute(
            update(Zoekwoord)
            .where(col(Zoekwoord.woord).in_(woorden[begin : begin + _REEKS]))
            .values(aantal=col(Zoekwoord.aantal) - 1)
        )
    await session.execute(delete(Zoekwoord).where(col(Zoekwoord.aantal) <= 0))
    await session.execute(delete(Zoekterm).where(col(Zoekterm.artikel_id) == artikel_id))
    await _pas_statistiek_aan(
        session,
        -1,
        -document.lengte_titel,
        -document.lengte_samenvatting,
        -document.lengte_inhoud,
    )
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


def _filter(artikel_id: Any, filters: Filters) -> list[ColumnElement[bool]]:
    voorwaarden: list[ColumnElement[bool]] = []
    if filters.thema is not None:
        voorwaarden.append(
            exists().where(
                and_(
                    col(ArtikelThema.artikel_id) == artikel_id,
                    col(ArtikelThema.thema) == filters.thema,
                )
            )
        )
    if filters.doelgroep is not None:
        voorwaarden.append(
            exists().where(
                and_(
                    col(ArtikelDoelgroep.artikel_id) == artikel_id,
                    col(ArtikelDoelgroep.doelgroep) == filters.doelgroep,
                )
            )
        )
    if filters.type is not None:
        # Artikel is in the FROM of queries that join it (beste_treffers, kandidaten): without
        # correlate_except the subquery would correlate it away and have no FROM at all.
        voorwaarden.append(
            exists()
            .where(and_(col(Artikel.id) == artikel_id, col(Artikel.type) == filters.type))
            .correlate_except(Artikel)
        )
    return voorwaarden


def _treffers(stammen: Sequence[str], filters: Filters) -> Select[uuid.UUID]:
    return (
        select(col(Zoekterm.artikel_id))
        .where(col(Zoekterm.stam).in_(stammen), *_filter(col(Zoekterm.artikel_id), filters))
        .distinct()
    )


async def tel(
    session: AsyncSession, stammen: Sequence[str], filters: Filters
) -> tuple[int, Facetten]:
    treffers = _treffers(stammen, filters).subquery()
    aantal = int(await session.scalar(select(func.count()).select_from(treffers)) or 0)

    zonder_thema = _treffers(stammen, Filters(None, filters.doelgroep, filters.type))
    themas = await session.execute(
        select(col(ArtikelThema.thema), func.count())
        .where(col(ArtikelThema.artikel_id).in_(zonder_thema))
        .group_by(col(ArtikelThema.thema))
        .order_by(col(ArtikelThema.thema))
    )
    zonder_doelgroep = _treffers(stammen, Filters(filters.thema, None, filters.type))
    doelgroepen = await session.execute(
        select(col(ArtikelDoelgroep.doelgroep), func.count())
        .where(col(ArtikelDoelgroep.artikel_id).in_(zonder_doelgroep))
        .group_by(col(ArtikelDoelgroep.doelgroep))
        .order_by(col(ArtikelDoelgroep.doelgroep))
    )
    return aantal, Facetten(dict(themas.tuples().all()), dict(doelgroepen.tuples().all()))


async def beste_treffers(
    session: AsyncSession, gewichten: Mapping[str, float], filters: Filters, limiet: int
) -> list[uuid.UUID]:
    """The ``limiet`` articles with the highest pre-score (ties by id)."""
    per_stam = case(
        *((col(Zoekterm.stam) == stam, literal(gewicht)) for stam, gewicht in gewichten.items()),
        else_=literal(0.0),
    )
    velden = (
        case((col(Zoekterm.tf_titel) > 0, VOORSCORE["titel"]), else_=0.0)
        + case((col(Zoekterm.tf_samenvatting) > 0, VOORSCORE["samenvatting"]), else_=0.0)
        + case((col(Zoekterm.tf_inhoud) > 0, VOORSCORE["inhoud"]), else_=0.0)
    )
    voorscore = func.sum(per_stam * velden).label("voorscore")
    rijen = await session.execute(
        select(col(Zoekterm.artikel_id), voorscore)
        .where(col(Zoekterm.stam).in_(list(gewichten)), *_filter(col(Zoekterm.artikel_id), filters))
        .join(Artikel, col(Artikel.id) == col(Zoekterm.artikel_id))
        .group_by(col(Zoekterm.artikel_id), col(Artikel.slug))
        .order_by(voorscore.desc(), col(Artikel.slug))
        .limit(limiet)
    )
    return [artikel_id for artikel_id, _ in rijen.tuples()]


async def kandidaten(
    session: AsyncSession,
    stammen: Sequence[str],
    filters: Filters,
    alleen: Sequence[uuid.UUID] | None,
) -> list[Kandidaat]:
    """Term frequencies and field lengths of the matching articles (or only ``alleen``)."""
    voorwaarden: list[ColumnElement[bool]] = [col(Zoekterm.stam).in_(stammen)]
    if alleen is not None:
        voorwaarden.append(col(Zoekterm.artikel_id).in_(alleen))
    else:
        voorwaarden.extend(_filter(col(Zoekterm.artikel_id), filters))
    rijen = await session.execute(
        select(
            col(Zoekterm.artikel_id),
            col(Zoekterm.stam),
            col(Zoekterm.tf_titel),
            col(Zoekterm.tf_samenvatting),
            col(Zoekterm.tf_inhoud),
            col(Zoekdocument.lengte_titel),
            col(Zoekdocument.lengte_samenvatting),
            col(Zoekdocument.lengte_inhoud),
            col(Artikel.slug),
        )
        .join(Zoekdocument, col(Zoekdocument.artikel_id) == col(Zoekterm.artikel_id))
        .join(Artikel, col(Artikel.id) == col(Zoekterm.artikel_id))
        .where(*voorwaarden)
    )
    lengtes: dict[uuid.UUID, dict[str, int]] = {}
    slugs: dict[uuid.UUID, str] = {}
    frequenties: dict[uuid.UUID, dict[str, dict[str, int]]] = {}
    for artikel_id, stam, t, s, i, lt, ls, li, slug in rijen.tuples():
        lengtes[artikel_id] = {"titel": lt, "samenvatting": ls, "inhoud": li}
        slugs[artikel_id] = slug
        velden = frequenties.setdefault(artikel_id, {"titel": {}, "samenvatting": {}, "inhoud": {}})
        velden["titel"][stam] = t
        velden["samenvatting"][stam] = s
        velden["inhoud"][stam] = i
    return [
        Kandidaat(str(artikel_id), lengtes[artikel_id], frequenties[artikel_id], slugs[artikel_id])
        for artikel_id in sorted(lengtes)
    ]


async def statistiek(session: AsyncSession, stammen: Sequence[str]) -> Corpusstatistiek:
    rij = await session.get(Zoekstatistiek, STATISTIEK_ID)
    df_rijen = await session.execute(
        select(col(Zoekterm.stam), func.count())
        .where(col(Zoekterm.stam).in_(stammen))
        .group_by(col(Zoekterm.stam))
    )
    df = dict(df_rijen.tuples().all())
    if rij is None:
        return Corpusstatistiek(0, {}, df)
    totalen = {
        "titel": rij.totaal_titel,
        "samenvatting": rij.totaal_samenvatting,
        "inhoud": rij.totaal_inhoud,
    }
    return Corpusstatistiek(rij.aantal, totalen, df)


async def weergaven(session: AsyncSession, sleutels: Sequence[str]) -> dict[str, Weergave]:
    ids = [uuid.UUID(s) for s in sleutels]
    rijen = await session.execute(
        select(
            col(Artikel.id),
            col(Artikel.slug),
            col(Artikel.titel),
            col(Artikel.samenvatting),
            col(Zoekdocument.tekst),
        )
        .join(Zoekdocument, col(Zoekdocument.artikel_id) == col(Artikel.id))
        .where(col(Artikel.id).in_(ids))
    )
    return {
        str(artikel_id): Weergave(slug, titel, samenvatting, tekst)
        for artikel_id, slug, titel, samenvatting, tekst in rijen.tuples()
    }
