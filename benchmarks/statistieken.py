"""Statistics benchmark: the real statistieken query over many meldingen on PostgreSQL.

Bulk-loads meldingen spread over five years and 50 organisations (COPY into melding and
melding_vorm), then times the service's own query (`statistiek_query`, gedragstype × maand)
for one organisation and for all, over repeated calls, and prints p50/p95 side by side, the
ratio, and both query plans (EXPLAIN ANALYZE).

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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import asyncpg  # type: ignore[import-untyped]  # noqa: E402
from sqlalchemy.dialects import postgresql  # noqa: E402

from services.common.db import create_engine_for, session_factory  # noqa: E402
from services.common.migrations import upgrade  # noqa: E402
from services.meldingen.melding.enums import Functie, Gedragstype, Vorm  # noqa: E402
from services.meldingen.statistiek.enums import Groepering  # noqa: E402
from services.meldingen.statistiek.repository import (  # noqa: E402
    StatistiekFilter,
    statistiek_query,
)
from tests.support import postgres  # noqa: E402

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ORGS = [f"GM{n:04d}" for n in range(1, 51)]


async def load(dsn: str, n: int) -> float:
    rng = random.Random(42)
    start_day = datetime(2021, 1, 1, tzinfo=UTC)
    connection = await asyncpg.connect(dsn)
    began = time.perf_counter()
    try:
        batch = 50_000
        for offset in range(0, n, batch):
            meldingen, vormen = [], []
            for i in range(offset, min(n, offset + batch)):
                mid = uuid.uuid4()
                voorval = start_day + timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
                forms = rng.sample(list(Vorm), rng.randint(1, 3))
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
                        rng.random() < 0.05,
                        False,
                        "afgehandeld",
                        "normaal",
                        False,
                        "[]",
                        voorval,
                        voorval,
                        1,
                    )
                )
                vormen.extend((mid, f.value) for f in forms)
            await connection.copy_records_to_table(
                "melding",
                schema_name="meldingen",
                columns=[
                    "id",
                    "kenmerk",
                    "gedragstype",
                    "vormen",
                    "datum_voorval",
                    "maand_voorval",
                    "functie",
                    "organisatie",
                    "vertrouwelijk",
                    "acuut_gevaar",
                    "status",
                    "prioriteit",
                    "owb_bereik",
                    "advies",
                    "aangemaakt_op",
                    "gewijzigd_op",
                    "versie",
                ],
                records=meldingen,
            )
            await connection.copy_records_to_table(
                "melding_vorm",
                schema_name="meldingen",
                columns=["melding_id", "vorm"],
                records=vormen,
            )
        await connection.execute("ANALYZE meldingen.melding; ANALYZE meldingen.melding_vorm")
    finally:
        await connection.close()
    return time.perf_counter() - began


async def time_query(target_url: str, filters: StatistiekFilter, calls: int) -> list[float]:
    from services.common.db import DatabaseTarget, _async_url

    engine = create_engine_for(DatabaseTarget(_async_url(target_url), "meldingen"), pool_size=1)
    sessions = session_factory(engine)
    timings = []
    try:
        for _ in range(calls):
            async with sessions() as session:
                began = time.perf_counter()
                rows = (await session.execute(statistiek_query(filters))).all()
                timings.append((time.perf_counter() - began) * 1000)
                assert rows
    finally:
        await engine.dispose()
    return timings


async def plan(dsn: str, filters: StatistiekFilter) -> str:
    sql = str(
        statistiek_query(filters).compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
    )
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
    finally:
        await connection.close()
    return "\n".join("    " + row[0] for row in rows)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


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
    try:
        from services.common.db import DatabaseTarget, _async_url

        upgrade("meldingen", DatabaseTarget(_async_url(url), "meldingen"))
        seconds = asyncio.run(load(url, n))
        print(f"loaded {n:,} meldingen (2021-2025, {len(ORGS)} organisaties) in {seconds:.1f} s")
        groups = (Groepering.gedragstype, Groepering.maand)
        one = StatistiekFilter(groepeer_op=groups, organisatie="GM0007")
        every = StatistiekFilter(groepeer_op=groups)
        t_one = asyncio.run(time_query(url, one, calls))
        t_all = asyncio.run(time_query(url, every, calls))
        print(f"\ngedragstype x maand, {calls} calls each (ms)")
        print(f"{'scope':<20}{'p50':>10}{'p95':>10}")
        print(f"{'one organisation':<20}{statistics.median(t_one):>10.1f}{pct(t_one, 0.95):>10.1f}")
        print(
            f"{'all organisations':<20}{statistics.median(t_all):>10.1f}{pct(t_all, 0.95):>10.1f}"
        )
        ratio = statistics.median(t_all) / statistics.median(t_one)
        print(f"ratio all/one (p50): {ratio:.1f}x")
        print("\nplan, one organisation:\n" + asyncio.run(plan(url, one)))
        print("\nplan, all organisations:\n" + asyncio.run(plan(url, every)))
        print(
            f"\nreproduce: WEERBAAR_TEST_DATABASE_URL=... python benchmarks/statistieken.py"
            f" --meldingen {n} --calls {calls}"
        )
    finally:
        postgres.drop_database(admin, url)


if __name__ == "__main__":
    main()
