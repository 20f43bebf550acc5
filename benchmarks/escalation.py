"""Escalation benchmark: what one scheduler run costs, and that its claim uses the index.

On a PostgreSQL database of its own: N open meldingen (`ontvangen`, nobody picked them up)
with deadlines spread evenly over a day around now, as many already picked up (which the
partial index leaves out), and N/10 planned aftercare moments over the same day. Then:

- the catch-up run (everything overdue at once: about N/2 events);
- steady state: runs one scheduler interval (60 s) apart, each finding the deadlines that
  passed in that minute (about N/1440) — queries and ms per run, median and max;
- an idle run (nothing due): what every replica pays every interval;
- `EXPLAIN (ANALYZE, BUFFERS)` of both claims, which must use the partial indexes.

    WEERBAAR_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        python benchmarks/escalation.py                   # N = 1,000 and 100,000
    ... python benchmarks/escalation.py --sizes 1000      # quick
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, insert, text  # noqa: E402
from sqlalchemy.dialects import postgresql  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402

import services.meldingen.models  # noqa: E402, F401
from services.common.db import (  # noqa: E402
    DatabaseTarget,
    _async_url,
    create_engine_for,
    session_factory,
)
from services.common.migrations import upgrade  # noqa: E402
from services.common.outbox import outbox_session_info  # noqa: E402
from services.meldingen.melding.models import Melding  # noqa: E402
from services.meldingen.nazorg.models import Nazorgmoment  # noqa: E402
from services.meldingen.termijn import repository  # noqa: E402
from services.meldingen.termijn.scheduler import BATCH, run_once  # noqa: E402
from tests.support import postgres  # noqa: E402

INTERVAL = timedelta(seconds=60)
STEADY_RUNS = 20


def _melding(
    i: int, now: datetime, deadline: datetime, opgepakt: datetime | None
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "kenmerk": f"MLD-2026-{i:07d}",
        "gedragstype": "verward_gedrag",
        "vormen": ["verbaal"],
        "datum_voorval": now - timedelta(days=1),
        "maand_voorval": "2026-11",
        "functie": "raadslid",
        "organisatie": f"GM{i % 342:04d}",
        "vertrouwelijk": False,
        "acuut_gevaar": False,
        "status": "ontvangen" if opgepakt is None else "in_behandeling",
        "prioriteit": "normaal",
        "owb_bereik": False,
        "advies": [],
        "aangemaakt_op": now - timedelta(days=2),
        "gewijzigd_op": now - timedelta(days=2),
        "versie": 1,
        "reactie_uiterlijk": deadline,
        "opgepakt_op": opgepakt,
    }


async def load(engine: AsyncEngine, n: int, now: datetime) -> None:
    day = timedelta(days=1)
    spread = [now - day / 2 + day * (i / n) for i in range(n)]
    chunk = 5000
    async with engine.begin() as connection:
        await connection.execute(text("TRUNCATE meldingen.melding CASCADE"))
        await connection.execute(text("TRUNCATE meldingen.uitgaande_gebeurtenis"))
        for start in range(0, n, chunk):
            rows = [_melding(i, now, spread[i], None) for i in range(start, min(n, start + chunk))]
            rows += [
                _melding(n + i, now, spread[i], now - day)
                for i in range(start, min(n, start + chunk))
            ]
            await connection.execute(insert(Melding.__table__), rows)  # type: ignore[attr-defined]
            moments = [
                {
                    "id": uuid.uuid4(),
                    "melding_id": row["id"],
                    "gepland": row["reactie_uiterlijk"],
                    "uitgevoerd": False,
                    "automatisch": True,
                    "aangemaakt_op": now - day,
                }
                for row in rows[: len(rows) // 20]
            ]
            if moments:
                await connection.execute(insert(Nazorgmoment.__table__), moments)  # type: ignore[attr-defined]
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("ANALYZE meldingen.melding"))
        await connection.execute(text("ANALYZE meldingen.nazorgmoment"))


async def explain(engine: AsyncEngine, now: datetime) -> None:
    async with engine.connect() as connection:
        transaction = await connection.begin()
        for name, statement in (
            ("melding claim", repository.verstreken_query(now, BATCH)),
            ("nazorg claim", repository.verlopen_query(now, BATCH)),
        ):
            sql = str(
                statement.compile(
                    dialect=postgresql.dialect(),  # type: ignore[no-untyped-call]
                    compile_kwargs={"literal_binds": True},
                )
            )
            plan = await connection.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {sql}"))
            print(f"  EXPLAIN {name}:")
            for (line,) in plan:
                print(f"    {line}")
        await transaction.rollback()


async def measure(url: str, n: int) -> None:
    target = DatabaseTarget(_async_url(url), "meldingen")
    engine = create_engine_for(target, pool_size=2)
    queries = 0

    def count(*_args: object) -> None:
        nonlocal queries
        queries += 1

    try:
        now = datetime.now(UTC).replace(microsecond=0)
        started = time.perf_counter()
        await load(engine, n, now)
        print(
            f"N = {n:,} open meldingen (+{n:,} picked up, {n // 10:,} aftercare moments), "
            f"loaded in {time.perf_counter() - started:.1f} s"
        )
        sessions = session_factory(engine)
        sessions.configure(info=outbox_session_info(public_base_url="http://bench"))
        event.listen(engine.sync_engine, "before_cursor_execute", count)

        async def run(at: datetime) -> tuple[int, float, int]:
            nonlocal queries
            queries = 0
            t0 = time.perf_counter()
            outcome = await run_once(sessions, now=at)
            ms = (time.perf_counter() - t0) * 1000
            return queries, ms, outcome.termijn_verstreken + outcome.nazorg_verlopen

        q, ms, written = await run(now)
        print(f"  catch-up run: {written:,} events, {q} queries, {ms:.0f} ms")
        steady = [await run(now + INTERVAL * (i + 1)) for i in range(STEADY_RUNS)]
        print(
            f"  steady runs (every {INTERVAL.seconds} s, {STEADY_RUNS} runs): "
            f"{statistics.median(s[2] for s in steady):.0f} events, "
            f"{statistics.median(s[0] for s in steady):.0f} queries, "
            f"median {statistics.median(s[1] for s in steady):.1f} ms, "
            f"max {max(s[1] for s in steady):.1f} ms per run"
        )
        idle_at = now + INTERVAL * STEADY_RUNS
        idle = [await run(idle_at) for _ in range(10)]
        print(
            f"  idle run (nothing due): {idle[0][0]} queries, "
            f"median {statistics.median(s[1] for s in idle):.1f} ms"
        )
        event.remove(engine.sync_engine, "before_cursor_execute", count)
        await explain(engine, idle_at)
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    args = parser.parse_args()
    admin = os.environ.get("WEERBAAR_TEST_DATABASE_URL")
    if not admin:
        sys.exit("set WEERBAAR_TEST_DATABASE_URL to a PostgreSQL superuser URL")
    url = postgres.create_database(admin, prefix="wb_bench_escalation")
    try:
        upgrade("meldingen", DatabaseTarget(_async_url(url), "meldingen"))
        for n in args.sizes:
            asyncio.run(measure(url, n))
        sizes = " ".join(str(n) for n in args.sizes)
        print(
            "reproduce: WEERBAAR_TEST_DATABASE_URL=... python benchmarks/escalation.py"
            f" --sizes {sizes}"
        )
    finally:
        postgres.drop_database(admin, url)


if __name__ == "__main__":
    main()
