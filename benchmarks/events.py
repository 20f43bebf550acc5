"""Events benchmark: commit → webhook receipt latency of `spoed` meldingen while 8 clients
create and change meldingen through the gateway, the events/s the pipeline delivers to 10
subscriptions, and create throughput with events on vs off in the same run.

Real processes on loopback: dev IdP, meldingen (outbox + in-process relay), a nats-server
from the lock, notificaties (consumer + delivery), the gateway, and 10 webhook receivers
(one per subscription, all national-team handlers, so every meldingen event is in reach).
"Off" is the same meldingen process with `WEERBAAR_OUTBOX_RELAY=false` and no NATS: the
outbox row is still written (the contract needs it), nothing is published.

    WEERBAAR_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/events.py [--seconds 20] [--clients 8]

Latency is measured from the 201 of a `spoed` create (the commit happened before it) to the
moment the receiver has the request body: an upper bound of commit → receipt.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from services.common.crypto import generate_key_spec  # noqa: E402
from services.common.db import DatabaseTarget, _async_url, database_target  # noqa: E402
from services.common.migrations import upgrade  # noqa: E402
from services.common.settings import ServiceSettings  # noqa: E402
from tests.support import postgres  # noqa: E402
from tests.support.nats import NatsServer  # noqa: E402
from tests.support.processes import RunningProcess, free_port, start_process  # noqa: E402

MELDINGEN = "/api/meldingen/v1"
NOTIFICATIES = "/api/notificaties/v1"
SUBSCRIPTIONS = 10
BODY: dict[str, Any] = {
    "gedragstype": "frustratie_agressie",
    "vormen": ["verbaal"],
    "omschrijving": "Benchmark: een bezoeker dreigde aan de balie.",
    "datumVoorval": "2026-11-20T21:30:00+01:00",
    "functie": "wethouder",
}


class Receivers:
    """Webhook receivers on loopback: arrival time per (path, event subject, type)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.arrivals: dict[tuple[str, str, str], float] = {}
        self.count = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                now = time.perf_counter()
                event = json.loads(body)
                with outer.lock:
                    outer.arrivals.setdefault((self.path, event["subject"], event["type"]), now)
                    outer.count += 1
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, n: int) -> str:
        return f"http://localhost:{self.port}/r{n}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def token(issuer: str, sub: str, roles: list[str], org: str) -> dict[str, str]:
    response = httpx.post(
        f"{issuer}/dev/token", json={"sub": sub, "roles": roles, "org": org}, timeout=10
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@contextmanager
def database(work: Path) -> Iterator[dict[str, str]]:
    """Migrated meldingen and notificaties; the env that points the processes at them."""
    work.mkdir(parents=True, exist_ok=True)
    admin = os.environ.get("WEERBAAR_TEST_DATABASE_URL")
    url = postgres.create_database(admin, prefix="wb_bench_events") if admin else None
    try:
        for service in ("meldingen", "notificaties"):
            target = (
                DatabaseTarget(_async_url(url), service)
                if url
                else database_target(
                    ServiceSettings(data_dir=work), service=service, schema=service
                )
            )
            upgrade(service, target)
        yield {"WEERBAAR_DATABASE_URL": url} if url else {}
    finally:
        if admin and url:
            postgres.drop_database(admin, url)


async def load(
    gateway: str,
    melders: list[dict[str, str]],
    handler: dict[str, str],
    seconds: float,
) -> tuple[int, list[tuple[str, float]]]:
    """Clients create meldingen (every fourth `spoed`) and move each to in_behandeling."""
    spoed: list[tuple[str, float]] = []
    creates = 0
    deadline = time.perf_counter() + seconds

    async def client(n: int, headers: dict[str, str]) -> None:
        nonlocal creates
        async with httpx.AsyncClient(base_url=gateway, timeout=30) as http:
            i = 0
            while time.perf_counter() < deadline:
                acuut = i % 4 == 0
                created = await http.post(
                    f"{MELDINGEN}/meldingen",
                    json={**BODY, "acuutGevaar": acuut},
                    headers=headers,
                )
                at = time.perf_counter()
                if created.status_code != 201:
                    raise RuntimeError(f"create {created.status_code}: {created.text[:200]}")
                creates += 1
                melding_id = created.json()["id"]
                if acuut:
                    spoed.append((melding_id, at))
                moved = await http.post(
                    f"{MELDINGEN}/meldingen/{melding_id}/statuswijzigingen",
                    json={"status": "in_behandeling", "toelichting": "opgepakt"},
                    headers=handler,
                )
                if moved.status_code != 201:
                    raise RuntimeError(f"status {moved.status_code}: {moved.text[:200]}")
                i += 1

    await asyncio.gather(*(client(n, h) for n, h in enumerate(melders)))
    return creates, spoed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_stack(args: argparse.Namespace, work: Path, events_on: bool) -> dict[str, Any]:
    with ExitStack() as stack, database(work / ("on" if events_on else "off")) as db_env:
        data_dir = work / ("on" if events_on else "off")
        idp_port = free_port()
        issuer = f"http://127.0.0.1:{idp_port}"
        gateway_port = free_port()
        gateway_url = f"http://127.0.0.1:{gateway_port}"
        common = {
            "WEERBAAR_ENV": "test",
            "WEERBAAR_OIDC_ISSUER": issuer,
            "WEERBAAR_DATA_DIR": str(data_dir),
            "WEERBAAR_LOG_LEVEL": "WARNING",
            "WEERBAAR_DATA_KEYS": generate_key_spec("bench"),
            "WEERBAAR_PUBLIC_BASE_URL": gateway_url,
            **db_env,
        }
        started: list[RunningProcess] = []
        stack.callback(lambda: [p.stop() for p in reversed(started)])
        started.append(
            start_process("devidp", ["devidp", "serve"], env=common, log_dir=work, port=idp_port)
        )
        upstreams: dict[str, str] = {}
        receivers = Receivers()
        stack.callback(receivers.close)
        if events_on:
            nats = NatsServer(work / "nats")
            nats.start()
            stack.callback(nats.stop)
            common["WEERBAAR_NATS_URL"] = nats.url
            notificaties = start_process(
                "notificaties",
                ["services.notificaties", "serve"],
                env={**common, "WEERBAAR_WEBHOOK_ALLOWED_HOSTS": "localhost"},
                log_dir=work,
            )
            started.append(notificaties)
            upstreams["notificaties"] = notificaties.url
        else:
            common["WEERBAAR_OUTBOX_RELAY"] = "false"
            common["WEERBAAR_NATS_URL"] = "nats://127.0.0.1:9"
        meldingen = start_process(
            "meldingen", ["services.meldingen", "serve"], env=common, log_dir=work
        )
        started.append(meldingen)
        upstreams["meldingen"] = meldingen.url
        unlimited = "100000/100000"
        gateway = start_process(
            "gateway",
            ["gateway", "serve"],
            env={
                **common,
                "WEERBAAR_METRICS_PORT": str(free_port()),
                "WEERBAAR_MELDINGEN_URL": upstreams["meldingen"],
                "WEERBAAR_NOTIFICATIES_URL": upstreams.get("notificaties", ""),
                "WEERBAAR_BEVEILIGING_URL": "",
                "WEERBAAR_KENNISBANK_URL": "",
                "WEERBAAR_RATE_LIMITS": json.dumps(
                    {
                        group: unlimited
                        for group in (
                            "*",
                            "meldingen-aanmaken",
                            "abonnementen-schrijven",
                            "auth-failures",
                        )
                    }
                ),
            },
            log_dir=work,
            port=gateway_port,
            ready_path="/health/ready",
        )
        started.append(gateway)
        handler = token(issuer, "bench-h", ["behandelaar"], "GM0363")
        melders = [token(issuer, f"bench-m{n}", ["melder"], "GM0363") for n in range(args.clients)]
        if events_on:
            for n in range(SUBSCRIPTIONS):
                owb = token(issuer, f"bench-owb{n}", ["behandelaar"], "OWB")
                made = httpx.post(
                    f"{gateway_url}{NOTIFICATIES}/abonnementen",
                    json={"callbackUrl": receivers.url(n), "types": ["nl.weerbaarbestuur.*"]},
                    headers=owb,
                    timeout=10,
                )
                made.raise_for_status()
        began = time.perf_counter()
        creates, spoed = asyncio.run(load(gateway_url, melders, handler, args.seconds))
        elapsed = time.perf_counter() - began
        result: dict[str, Any] = {"creates_per_s": creates / elapsed, "creates": creates}
        if not events_on:
            return result
        result.update(_delivery_figures(receivers, creates, spoed, began))
        return result


def _delivery_figures(
    receivers: Receivers, creates: int, spoed: list[tuple[str, float]], began: float
) -> dict[str, Any]:
    """Wait (bounded) for every delivery, then deliveries/s and spoed create → webhook latency."""
    expected = creates * 2 * SUBSCRIPTIONS  # aangemaakt + status-gewijzigd, per receiver
    drain_deadline = time.perf_counter() + 120
    while receivers.count < expected and time.perf_counter() < drain_deadline:
        time.sleep(0.1)
    drained = time.perf_counter() - began
    latencies = []
    for melding_id, at in spoed:
        arrived = receivers.arrivals.get(
            ("/r0", melding_id, "nl.weerbaarbestuur.meldingen.melding-aangemaakt")
        )
        if arrived is not None:
            latencies.append((arrived - at) * 1000)
    return {
        "delivered": receivers.count,
        "expected": expected,
        "events_per_s": receivers.count / drained,
        "spoed": len(spoed),
        "spoed_received": len(latencies),
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": percentile(latencies, 0.99) if latencies else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="load per configuration")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="5 s per configuration")
    args = parser.parse_args()
    if args.quick:
        args.seconds = 5.0
    work = Path(tempfile.mkdtemp(prefix="wb-bench-events-"))
    off = run_stack(args, work, events_on=False)
    on = run_stack(args, work, events_on=True)
    backend = "PostgreSQL" if os.environ.get("WEERBAAR_TEST_DATABASE_URL") else "SQLite"
    print(f"events benchmark, {backend}, {args.clients} clients, {args.seconds:.0f} s each")
    print(f"  creates/s, events off: {off['creates_per_s']:.1f} ({off['creates']} creates)")
    print(f"  creates/s, events on : {on['creates_per_s']:.1f} ({on['creates']} creates)")
    print(f"  ratio on/off         : {on['creates_per_s'] / off['creates_per_s']:.2f}")
    print(
        f"  delivered            : {on['delivered']} of {on['expected']} "
        f"({on['events_per_s']:.1f} deliveries/s to {SUBSCRIPTIONS} subscriptions)"
    )
    print(
        f"  spoed create → webhook: p50 {on['p50_ms']:.0f} ms, p99 {on['p99_ms']:.0f} ms "
        f"({on['spoed_received']} of {on['spoed']} measured)"
    )
    print("  reproduce: .venv/bin/python benchmarks/events.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
