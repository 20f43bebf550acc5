"""Create benchmark: POST /meldingen on PostgreSQL with 1, 16 and 64 clients, direct and via
the gateway, in one run. Prints creates/s, p50 and p99 per level and the gateway/direct ratio.

Every create increments the one kenmerk counter row of its year inside its transaction
(gap-free numbers), so creates of one year serialise on that row lock: throughput stops
growing with clients once the lock is the bottleneck. The `scaling` column shows it
(creates/s at N clients ÷ creates/s at 1 client).

The same run then measures what keeping the statistics rollups costs (issue 15): creates
through the service layer on the same database, with the rollup maintenance and without it
(the hook switched off in this process), alternating rounds so machine noise hits both, at 1
and 16 concurrent sessions. Without HTTP, JWT and JSON around it the ratio is stricter than
what a client sees. Goal: with / without >= 0.9.

    WEERBAAR_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        python benchmarks/meldingen_create.py            # 200 creates per level
    ... python benchmarks/meldingen_create.py --full     # 2,000 creates per level
    ... python benchmarks/meldingen_create.py --alleen-rollups   # only the rollup comparison
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from services.common.crypto import KeyRing, generate_key_spec  # noqa: E402
from services.common.db import (  # noqa: E402
    DatabaseTarget,
    _async_url,
    create_engine_for,
    session_factory,
)
from services.common.migrations import upgrade  # noqa: E402
from services.common.principal import Principal  # noqa: E402
from services.meldingen.melding import service as melding_service  # noqa: E402
from services.meldingen.melding.enums import Functie, Gedragstype, Vorm  # noqa: E402
from services.meldingen.melding.schemas import MeldingCreate  # noqa: E402
from services.meldingen.statistiek import bijhouden  # noqa: E402
from tests.support import postgres  # noqa: E402
from tests.support.processes import free_port, start_process  # noqa: E402

BODY = {
    "gedragstype": "frustratie_agressie",
    "vormen": ["verbaal"],
    "omschrijving": "Benchmark: een bezoeker werd agressief aan de balie.",
    "datumVoorval": "2026-01-10T10:00:00+01:00",
    "functie": "raadslid",
}


async def run_level(
    base: str, tokens: list[str], clients: int, total: int
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(total):
        queue.put_nowait(i)

    async def worker(client: httpx.AsyncClient, token: str) -> None:
        while True:
            try:
                queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            began = time.perf_counter()
            response = await client.post(
                f"{base}/api/meldingen/v1/meldingen",
                json=BODY,
                headers={"Authorization": f"Bearer {token}"},
            )
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status_code != 201:
                raise RuntimeError(f"{response.status_code}: {response.text[:200]}")

    limits = httpx.Limits(max_connections=clients + 4)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        began = time.perf_counter()
        await asyncio.gather(*(worker(client, tokens[i % len(tokens)]) for i in range(clients)))
        elapsed = time.perf_counter() - began
    return total / elapsed, latencies


def bodies(n: int, seed: int) -> list[MeldingCreate]:
    """Varied meldingen (the rollups' cells spread as in real use), the same for both modes."""
    rng = random.Random(seed)
    return [
        MeldingCreate.model_validate(
            {
                **BODY,
                "gedragstype": rng.choice(list(Gedragstype)).value,
                "functie": rng.choice(list(Functie)).value,
                "vormen": [v.value for v in rng.sample(list(Vorm), rng.randint(1, 3))],
                "datumVoorval": f"2025-{rng.randint(1, 12):02d}-10T10:00:00+01:00",
            }
        )
        for _ in range(n)
    ]


async def service_creates(
    target: DatabaseTarget, key_ring: KeyRing, work: list[MeldingCreate], clients: int
) -> float:
    """Creates per second through melding.service, one session and commit per create."""
    engine = create_engine_for(target, pool_size=clients + 2)
    sessions = session_factory(engine)
    queue: asyncio.Queue[MeldingCreate] = asyncio.Queue()
    for data in work:
        queue.put_nowait(data)

    async def worker(n: int) -> None:
        caller = Principal(sub=f"bench-{n}", org="GM0363", roles=frozenset({"melder"}))
        while True:
            try:
                data = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            async with sessions() as session:
                await melding_service.create_melding(
                    session,
                    key_ring=key_ring,
                    caller=caller,
                    data=data,
                    idempotency_key=None,
                    idempotency_hours=24,
                )
                await session.commit()

    try:
        began = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(clients)))
        return len(work) / (time.perf_counter() - began)
    finally:
        await engine.dispose()


ROUNDS = 5  # per mode, alternating; each round creates total / ROUNDS meldingen


def rollup_cost(url: str, total: int) -> None:
    target = DatabaseTarget(_async_url(url), "meldingen")
    key_ring = KeyRing.parse(generate_key_spec("bench"))
    keep = bijhouden.nieuwe_melding
    print("\nrollup maintenance, service layer (creates/s; rounds alternate with / without)")
    print(f"{'sessions':>8} | {'with':>8} {'without':>8} | {'with/without':>12}")
    try:
        for clients in (1, 16):
            rates: dict[str, list[float]] = {"with": [], "without": []}
            for round_ in range(2 * ROUNDS):
                mode = "with" if round_ % 2 == 0 else "without"
                bijhouden.nieuwe_melding = keep if mode == "with" else (lambda _m: None)
                work = bodies(max(1, total // ROUNDS), seed=round_ // 2)
                rates[mode].append(asyncio.run(service_creates(target, key_ring, work, clients)))
            # The median round of each: one stall of the shared machine does not decide it.
            with_, without = statistics.median(rates["with"]), statistics.median(rates["without"])
            print(f"{clients:>8} | {with_:>8.0f} {without:>8.0f} | {with_ / without:>12.2f}")
    finally:
        bijhouden.nieuwe_melding = keep
    print("goal: with/without >= 0.9")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--full", action="store_true", help="2,000 creates per level")
    parser.add_argument("--creates", type=int, default=None)
    parser.add_argument(
        "--alleen-rollups", action="store_true", help="only the rollup maintenance comparison"
    )
    args = parser.parse_args()
    total = args.creates or (2000 if args.full else 200)
    admin = os.environ.get("WEERBAAR_TEST_DATABASE_URL")
    if not admin:
        sys.exit("set WEERBAAR_TEST_DATABASE_URL to a PostgreSQL superuser URL")
    url = postgres.create_database(admin, prefix="wb_bench_create")
    work = Path(tempfile.mkdtemp(prefix="wb-bench-"))
    processes = []
    try:
        upgrade("meldingen", DatabaseTarget(_async_url(url), "meldingen"))
        if args.alleen_rollups:
            rollup_cost(url, total)
            print(
                "reproduce: WEERBAAR_TEST_DATABASE_URL=... python benchmarks/meldingen_create.py"
                f" --creates {total} --alleen-rollups"
            )
            return
        idp_port = free_port()
        issuer = f"http://127.0.0.1:{idp_port}"
        common = {
            "WEERBAAR_ENV": "test",
            "WEERBAAR_OIDC_ISSUER": issuer,
            "WEERBAAR_DATA_DIR": str(work),
            "WEERBAAR_LOG_LEVEL": "WARNING",
        }
        idp = start_process("devidp", ["devidp", "serve"], env=common, log_dir=work, port=idp_port)
        processes.append(idp)
        meldingen = start_process(
            "meldingen",
            ["services.meldingen", "serve"],
            env={
                **common,
                "WEERBAAR_DATABASE_URL": url,
                "WEERBAAR_DATA_KEYS": generate_key_spec("bench"),
            },
            log_dir=work,
        )
        processes.append(meldingen)
        gateway = start_process(
            "gateway",
            ["gateway", "serve"],
            env={
                # Its own metrics listener: never the default port of a running `make run`.
                "WEERBAAR_METRICS_PORT": str(free_port()),
                **common,
                "WEERBAAR_MELDINGEN_URL": meldingen.url,
                "WEERBAAR_RATE_LIMIT_ENABLED": "false",
            },
            log_dir=work,
        )
        processes.append(gateway)
        tokens = [
            httpx.post(
                f"{issuer}/dev/token",
                json={"sub": f"bench-{i}", "roles": ["melder"], "org": "GM0363"},
            ).json()["access_token"]
            for i in range(64)
        ]
        print(f"{total} creates per level, PostgreSQL, one year's kenmerk counter")
        print(
            f"{'clients':>7} | {'direct/s':>9} {'p50':>7} {'p99':>7} {'scaling':>8} | "
            f"{'gateway/s':>9} {'p50':>7} {'p99':>7} | {'gw/direct':>9}"
        )
        base_rate = None
        for clients in (1, 16, 64):
            rate_d, lat_d = asyncio.run(run_level(meldingen.url, tokens, clients, total))
            rate_g, lat_g = asyncio.run(run_level(gateway.url, tokens, clients, total))
            base_rate = base_rate or rate_d
            print(
                f"{clients:>7} | {rate_d:>9.0f} {statistics.median(lat_d):>7.1f} "
                f"{pct(lat_d, 0.99):>7.1f} {rate_d / base_rate:>7.1f}x | {rate_g:>9.0f} "
                f"{statistics.median(lat_g):>7.1f} {pct(lat_g, 0.99):>7.1f} | "
                f"{rate_g / rate_d:>9.2f}"
            )
        print("latencies in ms; scaling = direct creates/s ÷ direct creates/s at 1 client")
        rollup_cost(url, total)
        print(
            f"reproduce: WEERBAAR_TEST_DATABASE_URL=... python benchmarks/meldingen_create.py"
            f" --creates {total}"
        )
    finally:
        for process in reversed(processes):
            process.stop()
        postgres.drop_database(admin, url)


if __name__ == "__main__":
    main()
