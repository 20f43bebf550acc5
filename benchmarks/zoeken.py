"""Search benchmark: the kennisbank index against a naive ILIKE scan, on PostgreSQL and SQLite.

Generates articles from the seed content's Dutch sentences (recombined, so the vocabulary
and its distribution are the domain's), indexes them through the real index tables, then
times varied queries (single words, questions, typos) through the real search pipeline
(`Zoekdienst.zoek`: count, facets, ranking, fragments) and the same words with
`ILIKE '%term%'` over title, summary and body. Prints p50/p95 per backend and the ratio.
Also reports recall@3 of the relevance set on the seed content.

    python benchmarks/zoeken.py                 # 2,000 articles, 200 queries
    python benchmarks/zoeken.py --quick         # 500 articles, 60 queries (make bench)
    python benchmarks/zoeken.py --artikelen 100000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, or_, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402
from sqlmodel import col  # noqa: E402

from services.common.db import DatabaseTarget, create_engine_for, session_factory  # noqa: E402
from services.common.migrations import upgrade  # noqa: E402
from services.kennisbank.artikel.enums import ArtikelType, Doelgroep, Thema  # noqa: E402
from services.kennisbank.artikel.models import (  # noqa: E402
    Artikel,
    ArtikelDoelgroep,
    ArtikelThema,
)
from services.kennisbank.db import SCHEMA  # noqa: E402
from services.kennisbank.search.analyse import analysator  # noqa: E402
from services.kennisbank.search.indexering import indexeer  # noqa: E402
from services.kennisbank.search.models import (  # noqa: E402
    Zoekdocument,
    Zoekstatistiek,
    Zoekterm,
    Zoekwoord,
)
from services.kennisbank.search.service import Zoekdienst  # noqa: E402
from services.kennisbank.search.synoniemen import standaard_synoniemen  # noqa: E402
from services.kennisbank.search.tekst import markdown_naar_tekst  # noqa: E402
from services.kennisbank.search.zoekmachine import Filters  # noqa: E402
from services.kennisbank.seed import seed_artikelen  # noqa: E402
from tests.kennisbank.relevantie import meet, vragen  # noqa: E402

PG_ADMIN = os.environ.get(
    "WEERBAAR_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
GEMEENTEN = ["Zwolle", "Tilburg", "Almere", "Leeuwarden", "Venlo", "Delft", "Emmen", "Gouda"]
_ZIN = re.compile(r"(?<=[.!?])\s+")


# --- corpus ---------------------------------------------------------------------------------


def zinnen_en_titels() -> tuple[list[str], list[str]]:
    zinnen: list[str] = []
    titels: list[str] = []
    for artikel in seed_artikelen():
        titels.append(artikel.titel)
        tekst = markdown_naar_tekst(artikel.inhoud)
        zinnen.extend(z.strip() for z in _ZIN.split(tekst.replace("\n", " ")) if len(z) > 30)
    return zinnen, titels


def genereer(aantal: int, rng: random.Random) -> list[dict[str, Any]]:
    zinnen, titels = zinnen_en_titels()
    begin = datetime(2024, 1, 1, tzinfo=UTC)
    artikelen = []
    for nummer in range(aantal):
        titel = f"{rng.choice(titels)} in {rng.choice(GEMEENTEN)} ({nummer})"
        samenvatting = " ".join(rng.sample(zinnen, 2))
        inhoud = "\n\n".join(" ".join(rng.sample(zinnen, 4)) for _ in range(rng.randint(3, 6)))
        artikelen.append(
            {
                "id": uuid.UUID(int=rng.getrandbits(128)),
                "titel": titel[:200],
                "samenvatting": samenvatting,
                "inhoud": inhoud,
                "themas": rng.sample(list(Thema), rng.randint(1, 3)),
                "doelgroepen": rng.sample(list(Doelgroep), rng.randint(1, 2)),
                "type": rng.choice(list(ArtikelType)),
                "tijd": begin + timedelta(minutes=nummer),
            }
        )
    return artikelen


def zoekvragen(aantal: int, rng: random.Random) -> list[str]:
    """A third questions, a third single words, a third typos."""
    zinnen, _ = zinnen_en_titels()
    analyse = analysator()
    woorden = [t.woord for z in zinnen for t in analyse.tokens(z) if len(t.woord) >= 5]
    gewoon = [w for w, _ in Counter(woorden).most_common(400)]
    resultaat = [v for v, _ in vragen()]
    while len(resultaat) < aantal:
        soort = len(resultaat) % 3
        woord = rng.choice(gewoon)
        if soort == 0:
            resultaat.append(woord)
        elif soort == 1:
            plek = rng.randrange(1, len(woord) - 1)
            resultaat.append(woord[:plek] + woord[plek + 1 :])  # one letter dropped
        else:
            resultaat.append(f"wat moet ik doen bij {woord} en {rng.choice(gewoon)}")
    rng.shuffle(resultaat)
    return resultaat[:aantal]


# --- loading --------------------------------------------------------------------------------


async def laad(session: AsyncSession, artikelen: list[dict[str, Any]], reeks: int = 2000) -> None:
    """Bulk version of what publishing does per article, for speed."""
    analyse = analysator()
    woorden: Counter[str] = Counter()
    totalen = [0, 0, 0]
    for begin in range(0, len(artikelen), reeks):
        deel = artikelen[begin : begin + reeks]
        rijen: dict[str, list[dict[str, Any]]] = {
            "artikel": [],
            "thema": [],
            "doelgroep": [],
            "document": [],
            "term": [],
        }
        for a in deel:
            tekst = markdown_naar_tekst(a["inhoud"])
            velden = indexeer(
                analyse, titel=a["titel"], samenvatting=a["samenvatting"], tekst=tekst
            )
            rijen["artikel"].append(
                {
                    "id": a["id"],
                    "slug": f"artikel-{a['id'].hex}",
                    "titel": a["titel"],
                    "samenvatting": a["samenvatting"],
                    "inhoud": a["inhoud"],
                    "type": a["type"],
                    "status": "gepubliceerd",
                    "versie": 1,
                    "aangemaakt_door": "bench",
                    "gewijzigd_door": "bench",
                    "aangemaakt_op": a["tijd"],
                    "gewijzigd_op": a["tijd"],
                    "gepubliceerd_op": a["tijd"],
                }
            )
            rijen["thema"] += [{"artikel_id": a["id"], "thema": t} for t in a["themas"]]
            rijen["doelgroep"] += [
                {"artikel_id": a["id"], "doelgroep": d} for d in a["doelgroepen"]
            ]
            rijen["document"].append(
                {
                    "artikel_id": a["id"],
                    "lengte_titel": len(velden.titel),
                    "lengte_samenvatting": len(velden.samenvatting),
                    "lengte_inhoud": len(velden.inhoud),
                    "tekst": tekst,
                    "woorden": " ".join(sorted(velden.woorden)),
                }
            )
            tellingen: dict[str, list[int]] = {}
            for positie, veld in enumerate((velden.titel, velden.samenvatting, velden.inhoud)):
                totalen[positie] += len(veld)
                for stam in veld:
                    tellingen.setdefault(stam, [0, 0, 0])[positie] += 1
            rijen["term"] += [
                {
                    "stam": s,
                    "artikel_id": a["id"],
                    "tf_titel": t,
                    "tf_samenvatting": m,
                    "tf_inhoud": i,
                }
                for s, (t, m, i) in tellingen.items()
            ]
            woorden.update(velden.woorden)
        for model, sleutel in (
            (Artikel, "artikel"),
            (ArtikelThema, "thema"),
            (ArtikelDoelgroep, "doelgroep"),
            (Zoekdocument, "document"),
            (Zoekterm, "term"),
        ):
            await session.execute(insert(model), rijen[sleutel])
    await session.execute(
        insert(Zoekwoord), [{"woord": w, "aantal": n} for w, n in woorden.items()]
    )
    await session.execute(
        insert(Zoekstatistiek),
        [
            {
                "id": 1,
                "versie": 1,
                "aantal": len(artikelen),
                "totaal_titel": totalen[0],
                "totaal_samenvatting": totalen[1],
                "totaal_inhoud": totalen[2],
            }
        ],
    )
    await session.commit()


async def naief(session: AsyncSession, vraag: str) -> int:
    """The baseline: every non-stop word as ILIKE '%woord%' over the three text columns."""
    woorden = {t.woord for t in analysator().tokens(vraag)}
    if not woorden:
        return 0
    kolommen = (col(Artikel.titel), col(Artikel.samenvatting), col(Artikel.inhoud))
    voorwaarden = [k.ilike(f"%{w}%") for w in sorted(woorden) for k in kolommen]
    rijen = await session.execute(
        select(col(Artikel.id)).where(col(Artikel.status) == "gepubliceerd", or_(*voorwaarden))
    )
    return len(rijen.all())


# --- measuring ------------------------------------------------------------------------------


def percentiel(tijden: list[float], p: float) -> float:
    geordend = sorted(tijden)
    return geordend[min(len(geordend) - 1, round(p * (len(geordend) - 1)))]


async def meet_backend(
    naam: str, target: DatabaseTarget, artikelen: list[dict[str, Any]], vragenlijst: list[str]
) -> dict[str, float]:
    engine = create_engine_for(target)
    factory = session_factory(engine)
    try:
        start = time.perf_counter()
        async with factory() as session:
            await laad(session, artikelen)
        laadtijd = time.perf_counter() - start
        dienst = Zoekdienst()
        index: list[float] = []
        baseline: list[float] = []
        async with factory() as session:
            aantal = await session.scalar(select(func.count()).select_from(Zoekterm))
            await dienst.zoek(session, "opwarmen", Filters(), pagina=1, grootte=10)
            for vraag in vragenlijst:
                t0 = time.perf_counter()
                await dienst.zoek(session, vraag, Filters(), pagina=1, grootte=10)
                index.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                await naief(session, vraag)
                baseline.append((time.perf_counter() - t0) * 1000)
    finally:
        await engine.dispose()
    uitslag = {
        "p50": percentiel(index, 0.5),
        "p95": percentiel(index, 0.95),
        "ilike_p50": percentiel(baseline, 0.5),
        "ilike_p95": percentiel(baseline, 0.95),
    }
    print(
        f"{naam:9} laden {laadtijd:6.1f}s ({aantal} termrijen) | index p50 {uitslag['p50']:7.1f} ms"
        f"  p95 {uitslag['p95']:7.1f} ms | ILIKE p50 {uitslag['ilike_p50']:7.1f} ms"
        f"  p95 {uitslag['ilike_p95']:7.1f} ms | ILIKE/index p50 "
        f"{uitslag['ilike_p50'] / uitslag['p50']:5.1f}x  p95 "
        f"{uitslag['ilike_p95'] / uitslag['p95']:5.1f}x"
    )
    return uitslag


async def _pg_database(admin: str, aanmaken: bool, naam: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    verbinding = await asyncpg.connect(
        make_url(admin).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    try:
        if aanmaken:
            await verbinding.execute(f'CREATE DATABASE "{naam}"')
        else:
            await verbinding.execute(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')
    finally:
        await verbinding.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artikelen", type=int, default=2000)
    parser.add_argument("--vragen", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="500 articles, 60 queries")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    if args.quick:
        args.artikelen, args.vragen = 500, 60

    meting = meet(analysator(), standaard_synoniemen())
    print(
        f"relevantie: recall@3 {meting.recall_bij_3:.3f}, MRR {meting.mrr:.3f} "
        f"over {len(vragen())} vragen op de seed-artikelen"
    )

    rng = random.Random(args.seed)
    artikelen = genereer(args.artikelen, rng)
    vragenlijst = zoekvragen(args.vragen, rng)
    print(f"{args.artikelen} artikelen, {len(vragenlijst)} zoekvragen")
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as map_:
                url = make_url(f"sqlite+aiosqlite:///{map_}/kennisbank.db")
                upgrade("kennisbank", DatabaseTarget(url, SCHEMA))
                asyncio.run(
                    meet_backend("sqlite", DatabaseTarget(url, SCHEMA), artikelen, vragenlijst)
                )
        elif backend == "postgres":
            naam = f"wb_bench_{uuid.uuid4().hex[:8]}"
            try:
                asyncio.run(_pg_database(PG_ADMIN, True, naam))
            except OSError as fout:
                print(f"postgres  overgeslagen: {fout}")
                continue
            try:
                url = make_url(PG_ADMIN).set(drivername="postgresql+asyncpg", database=naam)
                upgrade("kennisbank", DatabaseTarget(url, SCHEMA))
                asyncio.run(
                    meet_backend("postgres", DatabaseTarget(url, SCHEMA), artikelen, vragenlijst)
                )
            finally:
                asyncio.run(_pg_database(PG_ADMIN, False, naam))


if __name__ == "__main__":
    main()
