"""Outbox benchmark: what publishing events costs the create path, and change → JetStream.

Two meldingen processes, each on its own PostgreSQL database, and one nats-server (the
locked binary): one with its relay off (events are written to the outbox, nobody publishes
them), one with the relay on. 8 clients create meldingen against each in turn, rounds
alternating to spread machine noise; a JetStream consumer records when each
`melding-aangemaakt` arrives. Prints creates/s per mode, the ratio relay-on ÷ relay-off
(goal ≥ 0.9), and the latency from the event's `time` (the change, inside its transaction)
to its arrival: p50 and p99.

    WEERBAAR_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        python benchmarks/outbox.py                  # 3 rounds × 200 creates per mode
    ... python benchmarks/outbox.py --rounds 5 --creates 1000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import nats  # noqa: E402
from nats.aio.msg import Msg  # noqa: E402
from nats.js.api import DeliverPolicy  # noqa: E402

from benchmarks.meldingen_create import pct, run_level  # noqa: E402
from services.common.crypto import generate_key_spec  # noqa: E402
from services.common.db import DatabaseTarget, _async_url  # noqa: E402
from services.common.migrations import upgrade  # noqa: E402
from tests.support import postgres  # noqa: E402
from tests.support.nats import NatsServer  # noqa: E402
from tests.support.processes import free_port, start_process  # noqa: E402

CLIENTS = 8


async def measure(
    urls: dict[str, str], tokens: list[str], nats_url: str, rounds: int, creates: int
) -> tuple[dict[str, list[float]], list[float]]:
    latencies: list[float] = []
    expected = rounds * creates
    all_arrived = asyncio.Event()
    for url in urls.values():  # warm both up (connections, caches) before measuring
        await run_level(url, tokens, CLIENTS, 20)
    client = await nats.connect(nats_url)
    js = client.jetstream()

    async def on_event(message: Msg) -> None:
        event = json.loads(message.data)
        sent = datetime.fromisoformat(event["time"].replace("Z", "+00:00")).timestamp()
        latencies.append((time.time() - sent) * 1000)
        await message.ack()
        if len(latencies) >= expected:
            all_arrived.set()

    await js.subscribe(
        "weerbaar.meldingen.melding-aangemaakt",
        cb=on_event,
        deliver_policy=DeliverPolicy.NEW,
        manual_ack=True,
    )
    rates: dict[str, list[float]] = {mode: [] for mode in urls}
    try:
        for number in range(rounds):
            order = list(urls.items())
            for mode, url in order if number % 2 == 0 else reversed(order):
                rate, _ = await run_level(url, tokens, CLIENTS, creates)
                rates[mode].append(rate)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_arrived.wait(), timeout=60)
    finally:
        await client.close()
    return rates, latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--creates", type=int, default=200, help="creates per mode per round")
    parser.add_argument("--quick", action="store_true", help="1 round × 50 creates (make bench)")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.creates = 1, 50
    admin = os.environ.get("WEERBAAR_TEST_DATABASE_URL")
    if not admin:
        sys.exit("set WEERBAAR_TEST_DATABASE_URL to a PostgreSQL superuser URL")
    databases = {
        mode: postgres.create_database(admin, prefix="wb_bench_outbox")
        for mode in ("relay off", "relay on")
    }
    work = Path(tempfile.mkdtemp(prefix="wb-bench-outbox-"))
    server = NatsServer(work)
    processes = []
    try:
        server.start()
        for database in databases.values():
            upgrade("meldingen", DatabaseTarget(_async_url(database), "meldingen"))
        idp_port = free_port()
        issuer = f"http://127.0.0.1:{idp_port}"
        common = {
            "WEERBAAR_ENV": "test",
            "WEERBAAR_OIDC_ISSUER": issuer,
            "WEERBAAR_DATA_DIR": str(work),
            "WEERBAAR_LOG_LEVEL": "WARNING",
            "WEERBAAR_DATA_KEYS": generate_key_spec("bench"),
            "WEERBAAR_NATS_URL": server.url,
        }
        idp = start_process("devidp", ["devidp", "serve"], env=common, log_dir=work, port=idp_port)
        processes.append(idp)
        urls = {}
        for mode, relay in (("relay off", "false"), ("relay on", "true")):
            process = start_process(
                f"meldingen-{relay}",
                ["services.meldingen", "serve"],
                env={
                    **common,
                    "WEERBAAR_OUTBOX_RELAY": relay,
                    "WEERBAAR_OUTBOX_NOTIFY": "false",  # the baseline: write events, no more
                    "WEERBAAR_DATABASE_URL": databases[mode],
                },
                log_dir=work,
            )
            processes.append(process)
            urls[mode] = process.url
        tokens = [
            httpx.post(
                f"{issuer}/dev/token",
                json={"sub": f"bench-{i}", "roles": ["melder"], "org": "GM0363"},
            ).json()["access_token"]
            for i in range(CLIENTS)
        ]
        rates, latencies = asyncio.run(measure(urls, tokens, server.url, args.rounds, args.creates))
        print(f"{args.rounds} rounds × {args.creates} creates per mode, {CLIENTS} clients, PG")
        for mode, values in rates.items():
            print(f"  {mode:<9} {statistics.median(values):>7.0f} creates/s (median of rounds)")
        ratio = statistics.median(rates["relay on"]) / statistics.median(rates["relay off"])
        print(f"  ratio relay on ÷ off: {ratio:.2f} (goal ≥ 0.9)")
        expected = args.rounds * args.creates
        if latencies:
            print(
                f"  change → JetStream consumer: p50 {statistics.median(latencies):.1f} ms, "
                f"p99 {pct(latencies, 0.99):.1f} ms ({len(latencies)}/{expected} events)"
            )
        print(
            "reproduce: WEERBAAR_TEST_DATABASE_URL=... python benchmarks/outbox.py"
            f" --rounds {args.rounds} --creates {args.creates}"
        )
    finally:
        for process in reversed(processes):
            process.stop()
        server.stop()
        for database in databases.values():
            postgres.drop_database(admin, database)


if __name__ == "__main__":
    main()
