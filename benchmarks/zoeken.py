"""Search benchmark: the kennisbank search against the database's native full-text search.

Generates articles from the seed content's Dutch sentences (recombined, so the vocabulary
and its distribution are the domain's), loads them through the real index tables (COPY on
PostgreSQL), then times varied queries (single words, questions, typos) through the real
search pipeline (`Zoekdienst.zoek`: count, facets, top-k ranking, fragments) and, side by
side in the same run, the native baseline doing the same work without our analysis:

- PostgreSQL: a `tsvector` of title (A) / summary (B) / body (C) with PostgreSQL's own
  `dutch` configuration and a GIN index; the OR of the query's words as `to_tsquery`,
  the top 10 by `ts_rank_cd`, plus the count and both facet counts in one statement.
- SQLite: FTS5 (`unicode61`, diacritics removed, no stemmer: SQLite has none for Dutch),
  the top 10 by `bm25()` with column weights 5 / 2.5 / 1, plus count and facets.

The baseline is a speed reference, not a relevance one (no synonyms, no typo fallback,
no fragments); the match counts of both are printed so the difference shows. Prints
p50/p95 per backend and the ratio baseline ÷ ours (> 1: ours is faster). Also reports
recall@3 and MRR of the relevance set on the seed content.

    python benchmarks/zoeken.py                          # 2,000 articles, 200 queries
    python benchmarks/zoeken.py --quick                  # 500 articles, 60 queries (make bench)
    python benchmarks/zoeken.py --artikelen 20000
    python benchmarks/zoeken.py --artikelen 100000 --backends postgres
    python benchmarks/zoeken.py --warm          # steady state: caches warm for both
    python benchmarks/zoeken.py --traagste 10   # and the 10 slowest questions (the p95 tail)
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

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
    BLOKBITS,
    Zoekbits,
    Zoekdocument,
    Zoekstatistiek,
    Zoekterm,
    Zoekwoord,
)
from services.kennisbank.search.repository import termrijen  # noqa: E402
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
REEKS = 2000
"""Articles generated, analysed and loaded per batch: memory stays flat at 100,000."""
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


def genereer(aantal: int, seed: int) -> Iterator[list[dict[str, Any]]]:
    """The same articles for every backend (same seed), in batches of :data:`REEKS`."""
    rng = random.Random(seed)
    zinnen, titels = zinnen_en_titels()
    begin = datetime(2024, 1, 1, tzinfo=UTC)
    for start in range(0, aantal, REEKS):
        deel = []
        for nummer in range(start, min(aantal, start + REEKS)):
            titel = f"{rng.choice(titels)} in {rng.choice(GEMEENTEN)} ({nummer})"
            samenvatting = " ".join(rng.sample(zinnen, 2))
            inhoud = "\n\n".join(" ".join(rng.sample(zinnen, 4)) for _ in range(rng.randint(3, 6)))
            deel.append(
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
        yield deel


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


def rijen_van(
    deel: list[dict[str, Any]],
    woorden: Counter[str],
    totalen: list[int],
    eerste: int,
    bits: dict[tuple[str, int], bytearray],
) -> dict[str, list[dict[str, Any]]]:
    """Bulk version of what publishing does per article (same analysis, same rows)."""
    analyse = analysator()
    rijen: dict[str, list[dict[str, Any]]] = {
        "artikel": [],
        "artikel_thema": [],
        "artikel_doelgroep": [],
        "zoekdocument": [],
        "zoekterm": [],
    }
    for nummer, a in enumerate(deel, start=eerste):
        tekst = markdown_naar_tekst(a["inhoud"])
        velden = indexeer(analyse, titel=a["titel"], samenvatting=a["samenvatting"], tekst=tekst)
        rijen["artikel"].append(
            {
                "id": a["id"],
                "slug": f"artikel-{a['id'].hex}",
                "titel": a["titel"],
                "samenvatting": a["samenvatting"],
                "inhoud": a["inhoud"],
                # Search never reads the rendered HTML; an escaped copy keeps the load fast.
                "inhoud_html": f"<p>{html.escape(a['inhoud'])}</p>",
                "type": str(a["type"]),
                "status": "gepubliceerd",
                "versie": 1,
                "aangemaakt_door": "bench",
                "gewijzigd_door": "bench",
                "aangemaakt_op": a["tijd"],
                "gewijzigd_op": a["tijd"],
                "gepubliceerd_op": a["tijd"],
            }
        )
        rijen["artikel_thema"] += [{"artikel_id": a["id"], "thema": str(t)} for t in a["themas"]]
        rijen["artikel_doelgroep"] += [
            {"artikel_id": a["id"], "doelgroep": str(d)} for d in a["doelgroepen"]
        ]
        rijen["zoekdocument"].append(
            {
                "artikel_id": a["id"],
                "nummer": nummer,
                "lengte_titel": len(velden.titel),
                "lengte_samenvatting": len(velden.samenvatting),
                "lengte_inhoud": len(velden.inhoud),
                "tekst": tekst,
                "woorden": " ".join(sorted(velden.woorden)),
            }
        )
        termen = termrijen(a["id"], velden, nummer)
        rijen["zoekterm"] += termen
        blok, positie = divmod(nummer, BLOKBITS)
        for term in termen:  # what repository._zet_bits does per publish, in bulk
            ruimte = bits.setdefault((term["stam"], blok), bytearray(BLOKBITS // 8))
            ruimte[positie >> 3] |= 1 << (positie & 7)
        for positie, veld in enumerate((velden.titel, velden.samenvatting, velden.inhoud)):
            totalen[positie] += len(veld)
        woorden.update(velden.woorden)
    return rijen


def slotrijen(
    aantal: int, woorden: Counter[str], totalen: list[int], bits: dict[tuple[str, int], bytearray]
) -> dict[str, list[dict[str, Any]]]:
    return {
        "zoekbits": [
            {"stam": stam, "blok": blok, "bits": bytes(ruimte).rstrip(b"\0")}
            for (stam, blok), ruimte in sorted(bits.items())
        ],
        "zoekwoord": [{"woord": w, "aantal": n} for w, n in sorted(woorden.items())],
        "zoekstatistiek": [
            {
                "id": 1,
                "versie": 1,
                "aantal": aantal,
                "totaal_titel": totalen[0],
                "totaal_samenvatting": totalen[1],
                "totaal_inhoud": totalen[2],
            }
        ],
    }


MODELLEN: dict[str, Any] = {
    "artikel": Artikel,
    "artikel_thema": ArtikelThema,
    "artikel_doelgroep": ArtikelDoelgroep,
    "zoekdocument": Zoekdocument,
    "zoekterm": Zoekterm,
    "zoekbits": Zoekbits,
    "zoekwoord": Zoekwoord,
    "zoekstatistiek": Zoekstatistiek,
}


async def laad_sqlite(session: AsyncSession, aantal: int, seed: int) -> None:
    woorden: Counter[str] = Counter()
    totalen = [0, 0, 0]
    bits: dict[tuple[str, int], bytearray] = {}
    # secondary indexes of the big table built once at the end, as a bulk load does
    await session.execute(text(f"DROP INDEX {SCHEMA}.ix_zoekterm_artikel_id"))
    await session.execute(text(f"DROP INDEX {SCHEMA}.ix_zoekterm_stam_impact"))
    for start, deel in enumerate(genereer(aantal, seed)):
        for tabel, rijen in rijen_van(deel, woorden, totalen, start * REEKS + 1, bits).items():
            await session.execute(insert(MODELLEN[tabel]), rijen)
    for tabel, rijen in slotrijen(aantal, woorden, totalen, bits).items():
        await session.execute(insert(MODELLEN[tabel]), rijen)
    await session.execute(
        text(f"CREATE INDEX {SCHEMA}.ix_zoekterm_artikel_id ON zoekterm (artikel_id)")
    )
    await session.execute(
        text(
            f"CREATE INDEX {SCHEMA}.ix_zoekterm_stam_impact ON zoekterm (stam, impact, artikel_id)"
        )
    )
    await session.commit()
    # the native baseline: FTS5 over the same texts (content-less, only the ranking columns)
    await session.execute(
        text(
            f"CREATE VIRTUAL TABLE {SCHEMA}.bench_fts USING fts5("
            "titel, samenvatting, inhoud, artikel_id UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
    )
    await session.execute(
        text(
            f"INSERT INTO {SCHEMA}.bench_fts (titel, samenvatting, inhoud, artikel_id) "
            f"SELECT titel, samenvatting, inhoud, id FROM {SCHEMA}.artikel"
        )
    )
    await session.commit()
    await session.execute(text("ANALYZE"))


async def laad_postgres(session: AsyncSession, aantal: int, seed: int) -> None:
    """COPY per table and batch: 100,000 articles load in minutes, not hours."""
    verbinding = await (await session.connection()).get_raw_connection()
    apg: Any = verbinding.driver_connection
    woorden: Counter[str] = Counter()
    totalen = [0, 0, 0]
    bits: dict[tuple[str, int], bytearray] = {}

    async def kopieer(tabel: str, rijen: list[dict[str, Any]]) -> None:
        if rijen:
            kolommen = list(rijen[0])
            await apg.copy_records_to_table(
                tabel,
                records=[tuple(r[k] for k in kolommen) for r in rijen],
                columns=kolommen,
                schema_name=SCHEMA,
            )

    # A bulk load's usual order: no per-row foreign-key triggers (the rows are consistent
    # by construction) and the secondary indexes of the big table built once at the end.
    await apg.execute("SET session_replication_role = replica")
    await apg.execute(
        f"DROP INDEX {SCHEMA}.ix_zoekterm_artikel_id; DROP INDEX {SCHEMA}.ix_zoekterm_stam_impact"
    )
    for start, deel in enumerate(genereer(aantal, seed)):
        for tabel, rijen in rijen_van(deel, woorden, totalen, start * REEKS + 1, bits).items():
            await kopieer(tabel, rijen)
    for tabel, rijen in slotrijen(aantal, woorden, totalen, bits).items():
        await kopieer(tabel, rijen)
    await apg.execute(
        f"CREATE INDEX ix_zoekterm_artikel_id ON {SCHEMA}.zoekterm (artikel_id);"
        f"CREATE INDEX ix_zoekterm_stam_impact ON {SCHEMA}.zoekterm (stam, impact, artikel_id);"
        "SET session_replication_role = DEFAULT"
    )
    # the native baseline: weighted tsvector with PostgreSQL's own Dutch stemmer, GIN index
    await apg.execute(
        f"""
        CREATE TABLE {SCHEMA}.bench_fts AS
        SELECT id AS artikel_id,
               setweight(to_tsvector('dutch', titel), 'A')
               || setweight(to_tsvector('dutch', samenvatting), 'B')
               || setweight(to_tsvector('dutch', inhoud), 'C') AS doc
        FROM {SCHEMA}.artikel;
        CREATE INDEX ON {SCHEMA}.bench_fts USING gin (doc);
        """
    )
    await session.commit()


async def vacuum_postgres(engine: Any) -> None:
    """What autovacuum does to a table that has settled: statistics and the visibility
    map (index-only scans), for both contenders alike."""
    async with engine.connect() as verbinding:
        autocommit = await verbinding.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("VACUUM ANALYZE"))


# --- the native baselines -------------------------------------------------------------------


def _woorden(vraag: str) -> list[str]:
    """The query's words as typed (lower case, stop words out): the baseline's input."""
    return sorted({vraag[t.begin : t.eind].lower() for t in analysator().tokens(vraag)})


async def native_postgres(session: AsyncSession, vraag: str) -> int:
    woorden = _woorden(vraag)
    if not woorden:
        return 0
    q = " | ".join(woorden)  # [^\W_]+ words: no tsquery syntax in them
    await session.execute(
        text(
            f"SELECT artikel_id, ts_rank_cd(doc, q) AS r FROM {SCHEMA}.bench_fts, "
            "to_tsquery('dutch', :q) q WHERE doc @@ q ORDER BY r DESC LIMIT 10"
        ),
        {"q": q},
    )
    rijen = await session.execute(
        text(
            f"""
            WITH m AS (SELECT artikel_id FROM {SCHEMA}.bench_fts
                       WHERE doc @@ to_tsquery('dutch', :q))
            SELECT 'n', NULL, count(*) FROM m
            UNION ALL SELECT 't', t.thema, count(*) FROM {SCHEMA}.artikel_thema t
                JOIN m USING (artikel_id) GROUP BY t.thema
            UNION ALL SELECT 'd', d.doelgroep, count(*) FROM {SCHEMA}.artikel_doelgroep d
                JOIN m USING (artikel_id) GROUP BY d.doelgroep
            """
        ),
        {"q": q},
    )
    return next(int(n) for soort, _, n in rijen.all() if soort == "n")


async def native_sqlite(session: AsyncSession, vraag: str) -> int:
    woorden = _woorden(vraag)
    if not woorden:
        return 0
    q = " OR ".join(f'"{w}"' for w in woorden)
    await session.execute(
        text(
            f"SELECT artikel_id, bm25(bench_fts, 5.0, 2.5, 1.0) AS r FROM {SCHEMA}.bench_fts "
            "WHERE bench_fts MATCH :q ORDER BY r LIMIT 10"
        ),
        {"q": q},
    )
    rijen = await session.execute(
        text(
            f"""
            WITH m AS (SELECT artikel_id FROM {SCHEMA}.bench_fts WHERE bench_fts MATCH :q)
            SELECT 'n', NULL, count(*) FROM m
            UNION ALL SELECT 't', t.thema, count(*) FROM {SCHEMA}.artikel_thema t
                JOIN m ON m.artikel_id = t.artikel_id GROUP BY t.thema
            UNION ALL SELECT 'd', d.doelgroep, count(*) FROM {SCHEMA}.artikel_doelgroep d
                JOIN m ON m.artikel_id = d.artikel_id GROUP BY d.doelgroep
            """
        ),
        {"q": q},
    )
    return next(int(n) for soort, _, n in rijen.all() if soort == "n")


# --- measuring ------------------------------------------------------------------------------


class Statements:
    """Counts the statements an engine sends (the round trips of one search)."""

    def __init__(self, engine: Any) -> None:
        self.aantal = 0
        event.listen(engine.sync_engine, "after_cursor_execute", self._tel)

    def _tel(self, *_: Any) -> None:
        self.aantal += 1


def print_traagste(
    vragenlijst: list[str], ons: list[float], statements: list[int], treffers: list[int], n: int
) -> None:
    """The ``n`` slowest questions (the p95 tail): time, statements, matches."""
    volgorde = sorted(range(len(ons)), key=lambda i: -ons[i])[:n]
    for i in volgorde:
        print(
            f"         {ons[i]:7.1f} ms  {statements[i]} statements"
            f"  {treffers[i]:6} treffers  {vragenlijst[i]!r}"
        )


def percentiel(tijden: list[float], p: float) -> float:
    geordend = sorted(tijden)
    return geordend[min(len(geordend) - 1, round(p * (len(geordend) - 1)))]


async def meet_backend(
    naam: str,
    target: DatabaseTarget,
    aantal: int,
    seed: int,
    vragenlijst: list[str],
    warm: bool = False,
    traagste: int = 0,
) -> dict[str, float]:
    engine = create_engine_for(target)
    factory = session_factory(engine)
    teller = Statements(engine)
    ons_statements: list[int] = []
    native = native_postgres if naam == "postgres" else native_sqlite
    try:
        start = time.perf_counter()
        async with factory() as session:
            await (laad_postgres if naam == "postgres" else laad_sqlite)(session, aantal, seed)
        if naam == "postgres":
            await vacuum_postgres(engine)
        laadtijd = time.perf_counter() - start
        dienst = Zoekdienst()
        ons: list[float] = []
        basis: list[float] = []
        ons_aantal: list[int] = []
        basis_aantal: list[int] = []
        async with factory() as session:
            termrijen_aantal = await session.scalar(select(func.count()).select_from(Zoekterm))
            # Cold (default): each question's stems meet an empty bitset cache, as after
            # a publish. Warm: every question once before timing, both contenders alike.
            for vraag in vragenlijst if warm else vragenlijst[:5]:
                await dienst.zoek(session, vraag, Filters(), pagina=1, grootte=10)
                await native(session, vraag)
            for vraag in vragenlijst:  # interleaved: both see the same machine load
                voor = teller.aantal
                t0 = time.perf_counter()
                resultaat = await dienst.zoek(session, vraag, Filters(), pagina=1, grootte=10)
                ons.append((time.perf_counter() - t0) * 1000)
                ons_statements.append(teller.aantal - voor)
                t0 = time.perf_counter()
                basis_aantal.append(await native(session, vraag))
                basis.append((time.perf_counter() - t0) * 1000)
                ons_aantal.append(resultaat.aantal)
    finally:
        await engine.dispose()
    uitslag = {
        "p50": percentiel(ons, 0.5),
        "p95": percentiel(ons, 0.95),
        "native_p50": percentiel(basis, 0.5),
        "native_p95": percentiel(basis, 0.95),
    }
    niets = sum(1 for o, b in zip(ons_aantal, basis_aantal, strict=True) if b == 0 and o > 0)
    print(
        f"{naam:8} {aantal:>7} artikelen{' (warm)' if warm else ''}, laden {laadtijd:6.1f}s"
        f" ({termrijen_aantal} termrijen)\n"
        f"         zoeken     p50 {uitslag['p50']:7.1f} ms  p95 {uitslag['p95']:7.1f} ms"
        f"  | treffers mediaan {statistics.median(ons_aantal):.0f}\n"
        f"         native FTS p50 {uitslag['native_p50']:7.1f} ms  p95 "
        f"{uitslag['native_p95']:7.1f} ms  | treffers mediaan "
        f"{statistics.median(basis_aantal):.0f}, {niets} vragen zonder treffer waar zoeken"
        f" wel vindt\n"
        f"         native ÷ zoeken  p50 {uitslag['native_p50'] / uitslag['p50']:5.2f}x"
        f"  p95 {uitslag['native_p95'] / uitslag['p95']:5.2f}x",
        flush=True,
    )
    print(
        f"         statements per zoekvraag gemiddeld {statistics.mean(ons_statements):.2f},"
        f" max {max(ons_statements)}"
    )
    print_traagste(vragenlijst, ons, ons_statements, ons_aantal, traagste)
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
    parser.add_argument(
        "--warm", action="store_true", help="every question once before timing (steady state)"
    )
    parser.add_argument(
        "--traagste", type=int, default=0, help="print the N slowest questions (the p95 tail)"
    )
    args = parser.parse_args()
    if args.quick:
        args.artikelen, args.vragen = 500, 60

    meting = meet(analysator(), standaard_synoniemen())
    print(
        f"relevantie: recall@3 {meting.recall_bij_3:.3f}, MRR {meting.mrr:.3f} "
        f"over {len(vragen())} vragen op de seed-artikelen"
    )

    vragenlijst = zoekvragen(args.vragen, random.Random(args.seed + 1))
    print(f"{args.artikelen} artikelen, {len(vragenlijst)} zoekvragen", flush=True)
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as map_:
                url = make_url(f"sqlite+aiosqlite:///{map_}/kennisbank.db")
                upgrade("kennisbank", DatabaseTarget(url, SCHEMA))
                asyncio.run(
                    meet_backend(
                        "sqlite",
                        DatabaseTarget(url, SCHEMA),
                        args.artikelen,
                        args.seed,
                        vragenlijst,
                        args.warm,
                        args.traagste,
                    )
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
                    meet_backend(
                        "postgres",
                        DatabaseTarget(url, SCHEMA),
                        args.artikelen,
                        args.seed,
                        vragenlijst,
                        args.warm,
                        args.traagste,
                    )
                )
            finally:
                asyncio.run(_pg_database(PG_ADMIN, False, naam))


if __name__ == "__main__":
    main()
