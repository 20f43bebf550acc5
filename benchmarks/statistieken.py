"""Statistics benchmark: rollups vs the old scan over many meldingen on PostgreSQL, side by side.

Bulk-loads meldingen over five years (2021-2025) and 50 organisations (COPY into melding,
melding_vorm and statistiek_sleutel, then VACUUM ANALYZE so neither side reads a cold,
unvacuumed table), builds the rollups with the rebuild the command uses, prints each rollup's
row count, then times for one organisation and for all organisations, over five years and
over one year, the groupings `gedragstype & maand`, `functie`, `vorm` and
`organisatie & gedragstype`: the service's rollup path (sum the rollup rows, perturb) against
the query before the cell-key method (a GROUP BY over the meldingen), p50/p95 and the ratio.

"One organisation" is GM0007 as an analyst's `organisatie` filter, except `functie`, which an
analyst may not combine with an organisation: there it is GM0007's handler (their reach).

    WEERBAAR_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        python benchmarks/statistieken.py              # 100,000 meldingen, 20 calls
    ... python benchmarks/statistieken.py --full       # 1,000,000 meldingen, 50 calls
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import asyncpg  # type: ignore[import-untyped]  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from services.common.db import DatabaseTarget, _async_url, create_engine_for, session_factory  # noqa: E402
from services.common.migrations import upgrade  # noqa: E402
from services.meldingen.melding.enums import Functie, Gedragstype, Vorm  # noqa: E402
from services.meldingen.melding.repository import Bereik  # noqa: E402
from services.meldingen.statistiek import repository, rollup  # noqa: E402
from services.meldingen.statistiek.enums import Groepering  # noqa: E402
from services.meldingen.statistiek.repository import StatistiekFilter, statistiek_query  # noqa: E402
from services.meldingen.statistiek.service import publiceer  # noqa: E402
from tests.support import postgres  # noqa: E402

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ORGS = [f"GM{n:04d}" for n in range(1, 51)]
ONE = "GM0007"
STATUS = (["afgehandeld"] * 14) + ["in_behandeling", "in_behandeling", "ontvangen", "doorverwezen"]
STATUS += ["ingetrokken"]
PRIORITEIT = (["normaal"] * 16) + ["hoog", "hoog", "hoog", "spoed"]
G, F, V, M, ORG = (
    Groepering.gedragstype,
    Groepering.functie,
    Groepering.vorm,
    Groepering.maand,
    Groepering.organisatie,
)
GROUPINGS: list[tuple[Groepering, ...]] = [(G, M), (F,), (V,), (ORG, G)]


async def load(dsn: str, n: int) -> float:
    rng = random.Random(42)
    start_day = datetime(2021, 1, 1, tzinfo=UTC)
    connection = await asyncpg.connect(dsn)
    began = time.perf_counter()
    try:
        batch = 50_000
        for offset in range(0, n, batch):
            meldingen, vormen, sleutels = [], [], []
            for i in range(offset, min(n, offset + batch)):
                mid = uuid.uuid4()
                voorval = start_day + timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
                forms = rng.sample(list(Vorm), rng.randint(1, 3))
                vertrouwelijk = rng.random() < 0.05
                meldingen.append(
                    (
                        mid,
                        f"MLD-B-{i:09d}",
                        rng.choice(list(Gedragstype)).value,
                        json.dumps([f.value for f in forms]),
                        voorval,
                        voorval.astimezone(AMSTERDAM).strftime("%Y-%m"),
                        rng.choice(list(Functie)).value,
                        rng.choice(ORGS),
                        vertrouwelijk,
                        False,
                        rng.choice(STATUS),
                        rng.choice(PRIORITEIT),
                        not vertrouwelijk and rng.random() < 0.02,
                        "[]",
                        voorval,
                        voorval,
                        1,
                        voorval + timedelta(days=3),  # reactie_uiterlijk: not measured here
                    )
                )
                vormen.extend((mid, f.value) for f in forms)
                sleutels.append((mid, rng.randrange(256)))  # the benchmark needs no secrecy
            columns = "id kenmerk gedragstype vormen datum_voorval maand_voorval functie"
            columns += " organisatie vertrouwelijk acuut_gevaar status prioriteit owb_bereik advies"
            columns += " aangemaakt_op gewijzigd_op versie reactie_uiterlijk"
            for table, cols, records in (
                ("melding", columns.split(), meldingen),
                ("melding_vorm", ["melding_id", "vorm"], vormen),
                ("statistiek_sleutel", ["melding_id", "sleutel"], sleutels),
            ):
                await connection.copy_records_to_table(
                    table, schema_name="meldingen", columns=cols, records=records
                )
        for table in ("melding", "melding_vorm", "statistiek_sleutel"):
            await connection.execute(f"VACUUM ANALYZE meldingen.{table}")
    finally:
        await connection.close()
    return time.perf_counter() - began


async def rebuild(url: str, dsn: str) -> tuple[float, dict[str, int]]:
    engine = create_engine_for(DatabaseTarget(_async_url(url), "meldingen"), pool_size=1)
    try:
        async with session_factory(engine)() as session:
            began = time.perf_counter()
            rows = await repository.herbouw(session)
            await session.commit()
            seconds = time.perf_counter() - began
    finally:
        await engine.dispose()
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("VACUUM ANALYZE meldingen.statistiek_cel")
    finally:
        await connection.close()
    return seconds, rows


async def timed(
    url: str, calls: int, work: Callable[[AsyncSession], Awaitable[int]]
) -> list[float]:
    engine = create_engine_for(DatabaseTarget(_async_url(url), "meldingen"), pool_size=1)
    sessions = session_factory(engine)
    timings = []
    try:
        for _ in range(calls + 2):  # two warm-up calls, not counted
            async with sessions() as session:
                began = time.perf_counter()
                assert await work(session) > 0
                timings.append((time.perf_counter() - began) * 1000)
    finally:
        await engine.dispose()
    return timings[2:]


def scenarios() -> list[tuple[str, str, StatistiekFilter]]:
    out = []
    for window, van, tot in (("5 jaar", None, None), ("1 jaar", "2025-01", "2025-12")):
        for groups in GROUPINGS:
            name = " & ".join(g.value for g in groups)
            if groups == (F,):
                one = StatistiekFilter(groups, van, tot, bereik=Bereik(organisatie=ONE))
                scope = f"{ONE} (handler)"
            else:
                one = StatistiekFilter(groups, van, tot, organisatie=ONE)
                scope = ONE
            out.append((f"{name}, {window}", scope, one))
            out.append((f"{name}, {window}", "all", StatistiekFilter(groups, van, tot)))
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run_rollup(session: AsyncSession, filters: StatistiekFilter) -> int:
    bron = rollup.kies(filters.groepeer_op, niveau=filters.niveau)
    assert bron is not None, filters
    rows = await repository.tel(session, filters, bron)
    publiceer(rows, filters.groepeer_op, 5)
    return len(rows)


async def run_scan(session: AsyncSession, filters: StatistiekFilter) -> int:
    return len((await session.execute(statistiek_query(filters, met_sleutels=False))).all())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="1,000,000 meldingen, 50 calls")
    parser.add_argument("--meldingen", type=int, default=None)
    parser.add_argument("--calls", type=int, default=None)
    args = parser.parse_args()
    n = args.meldingen or (1_000_000 if args.full else 100_000)
    calls = args.calls or (50 if args.full else 20)
    admin = os.environ.get("WEERBAAR_TEST_DATABASE_URL")
    if not admin:
        sys.exit("set WEERBAAR_TEST_DATABASE_URL to a PostgreSQL superuser URL")
    url = postgres.create_database(admin, prefix="wb_bench_stat")
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    try:
        upgrade("meldingen", DatabaseTarget(_async_url(url), "meldingen"))
        seconds = asyncio.run(load(dsn, n))
        print(f"loaded {n:,} meldingen (2021-2025, {len(ORGS)} organisaties) by COPY, then")
        print(f"VACUUM ANALYZE, in {seconds:.1f} s")
        seconds, rows = asyncio.run(rebuild(url, dsn))
        print(f"\nrollups rebuilt in {seconds:.1f} s (statistiek-herbouw); rows per rollup:")
        for naam, count in rows.items():
            print(f"  {naam:<50}{count:>10,}  ({count / n:.3f} per melding)")
        print(f"  {'all rollups':<50}{sum(rows.values()):>10,}")
        print(f"\n{calls} calls each, ms; rollup = sum the rollup rows and perturb (the service)")
        print("scan = the GROUP BY over the meldingen before the cell-key method")
        header = f"{'grouping, window':<34}{'scope':<18}{'rollup':<40}"
        header += f"{'p50':>7}{'p95':>7} |{'scan p50':>9}{'p95':>7} |{'p95 ratio':>10}"
        print(header)
        worst_all = 0.0
        for label, scope, filters in scenarios():
            bron = rollup.kies(filters.groepeer_op, niveau=filters.niveau)
            assert bron is not None
            t_roll = asyncio.run(timed(url, calls, lambda s, f=filters: run_rollup(s, f)))
            t_scan = asyncio.run(timed(url, calls, lambda s, f=filters: run_scan(s, f)))
            if scope == "all":
                worst_all = max(worst_all, pct(t_roll, 0.95))
            print(
                f"{label:<34}{scope:<18}{bron.naam:<40}"
                f"{statistics.median(t_roll):>7.1f}{pct(t_roll, 0.95):>7.1f} |"
                f"{statistics.median(t_scan):>9.1f}{pct(t_scan, 0.95):>7.1f} |"
                f"{pct(t_scan, 0.95) / pct(t_roll, 0.95):>9.1f}x"
            )
        print(
            f"\nworst p95 over all organisations from the rollups: {worst_all:.1f} ms (goal <= 50)"
        )
        print(
            f"reproduce: WEERBAAR_TEST_DATABASE_URL=... python benchmarks/statistieken.py"
            f" --meldingen {n} --calls {calls}"
        )
    finally:
        postgres.drop_database(admin, url)


if __name__ == "__main__":
    main()
