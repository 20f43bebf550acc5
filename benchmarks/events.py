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

`--spoed` instead measures the acute path at low load (DESIGN.md part D: a `spoed` melding's
event within seconds of the 201): one melder files `--spoed-count` acute reports, one every
`--spoed-pause` seconds, nothing else runs; create → webhook p50, p99 and max.

    ... .venv/bin/python benchmarks/events.py --spoed [--spoed-count 50]

Latency is measured from the 201 of a `spoed` create (the commit happened before it) to the
moment the receiver has the request body: an upper bound of commit → receipt.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
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
from tests.support.processes import RunningProcess, free_port  # noqa: E402
from tests.support.processes import start_process as _start_process  # noqa: E402

# A machine loaded by other work can take more than the default 30 s to import and start.
start_process = functools.partial(_start_process, timeout=120)
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
        self.first = 0.0
        self.last = 0.0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive, as receivers behind any ordinary web server offer it.
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                now = time.perf_counter()
                event = json.loads(body)
                with outer.lock:
                    outer.arrivals.setdefault((self.path, event["subject"], event["type"]), now)
                    outer.count += 1
                    outer.first = outer.first or now
                    outer.last = now
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


async def spoed_load(
    gateway: str, melder: dict[str, str], count: int, pause: float
) -> tuple[int, list[tuple[str, float]]]:
    """One melder, one acute report at a time, a pause between: the acute path alone."""
    spoed: list[tuple[str, float]] = []
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as http:
        for _ in range(count):
            created = await http.post(
                f"{MELDINGEN}/meldingen", json={**BODY, "acuutGevaar": True}, headers=melder
            )
            at = time.perf_counter()
            if created.status_code != 201:
                raise RuntimeError(f"create {created.status_code}: {created.text[:200]}")
            spoed.append((created.json()["id"], at))
            await asyncio.sleep(pause)
    return count, spoed


# A loaded machine (CI, or other work beside it) starts processes slowly; not measured.
STARTUP_SECONDS = 120.0


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
        stack.callback(lambda: list(map(RunningProcess.stop, reversed(started))))
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
                timeout=STARTUP_SECONDS,
            )
            started.append(notificaties)
            upstreams["notificaties"] = notificaties.url
        else:
            common["WEERBAAR_OUTBOX_RELAY"] = "false"
            common["WEERBAAR_NATS_URL"] = "nats://127.0.0.1:9"
        meldingen = start_process(
            "meldingen",
            ["services.meldingen", "serve"],
            env=common,
            log_dir=work,
            timeout=STARTUP_SECONDS,
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
            timeout=STARTUP_SECONDS,
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
        if args.spoed:
            creates, spoed = asyncio.run(
                spoed_load(gateway_url, melders[0], args.spoed_count, args.spoed_pause)
            )
        else:
            creates, spoed = asyncio.run(load(gateway_url, melders, handler, args.seconds))
        elapsed = time.perf_counter() - began
        result: dict[str, Any] = {"creates_per_s": creates / elapsed, "creates": creates}
        if not events_on:
            return result
        result.update(_delivery_figures(receivers, creates, spoed, began, spoed_only=args.spoed))
        result.update(spoed_stages(db_env, data_dir))
        return result


def _delivery_figures(
    receivers: Receivers,
    creates: int,
    spoed: list[tuple[str, float]],
    began: float,
    *,
    spoed_only: bool,
) -> dict[str, Any]:
    """Wait (bounded) for every delivery, then deliveries/s and spoed create → webhook latency."""
    # aangemaakt (+ status-gewijzigd under load), per receiver
    expected = creates * (1 if spoed_only else 2) * SUBSCRIPTIONS
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
        "max_ms": max(latencies) if latencies else float("nan"),
    }


def _target(db_env: dict[str, str], data_dir: Path, service: str) -> DatabaseTarget:
    url = db_env.get("WEERBAAR_DATABASE_URL")
    if url:
        return DatabaseTarget(_async_url(url), service)
    return database_target(ServiceSettings(data_dir=data_dir), service=service, schema=service)


def spoed_stages(db_env: dict[str, str], data_dir: Path) -> dict[str, float]:
    """Where a `spoed` melding-aangemaakt spends its time, from the services' own records:
    event time (the meldingen commit) → published by the relay (meldingen's outbox) → stored
    by the consumer → attempt recorded."""
    from sqlalchemy import text

    from services.common.db import create_engine_for

    async def relayed() -> dict[str, float]:
        engine = create_engine_for(_target(db_env, data_dir, "meldingen"))
        try:
            async with engine.connect() as connection:
                rows = (
                    await connection.execute(
                        text(
                            "SELECT event_id, envelope, created_at, published_at "
                            "FROM meldingen.uitgaande_gebeurtenis "
                            "WHERE subject = 'weerbaar.meldingen.melding-aangemaakt' "
                            "AND published_at IS NOT NULL"
                        )
                    )
                ).all()
        finally:
            await engine.dispose()
        return {
            str(event_id): (_aware(published) - _aware(created)).total_seconds()
            for event_id, envelope, created, published in rows
            if json.loads(envelope)["data"].get("prioriteit") == "spoed"
        }

    async def run() -> tuple[list[float], list[float]]:
        engine = create_engine_for(_target(db_env, data_dir, "notificaties"))
        try:
            async with engine.connect() as connection:
                rows = (
                    await connection.execute(
                        text(
                            "SELECT g.envelope, g.ontvangen_op, MIN(p.tijdstip) "
                            "FROM notificaties.gebeurtenis g "
                            "JOIN notificaties.poging p ON p.gebeurtenis_id = g.id "
                            "WHERE g.type = 'nl.weerbaarbestuur.meldingen.melding-aangemaakt' "
                            "AND p.status = 'afgeleverd' GROUP BY g.id, g.envelope, g.ontvangen_op"
                        )
                    )
                ).all()
        finally:
            await engine.dispose()
        consumed, delivered = [], []
        for envelope, stored, attempted in rows:
            event = json.loads(envelope)
            if event["data"].get("prioriteit") != "spoed":
                continue
            stored, attempted = _aware(stored), _aware(attempted)
            consumed.append((stored - datetime.fromisoformat(event["time"])).total_seconds())
            delivered.append((attempted - stored).total_seconds())
        return consumed, delivered

    consumed, delivered = asyncio.run(run())
    published = list(asyncio.run(relayed()).values())
    if not consumed:
        return {
            "published_p50_ms": float("nan"),
            "stored_p50_ms": float("nan"),
            "attempted_p50_ms": float("nan"),
        }
    return {
        "published_p50_ms": statistics.median(published) * 1000 if published else float("nan"),
        "stored_p50_ms": statistics.median(consumed) * 1000,
        "attempted_p50_ms": statistics.median(delivered) * 1000,
    }


def _aware(value: Any) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def delivery_backlog(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """The deliverer alone: `--backlog` events already stored for 10 subscriptions when
    notificaties starts; deliveries/s from the first arrival to the last."""
    from services.common.crypto import load_key_ring
    from services.common.db import create_engine_for, session_factory
    from services.notificaties.config import NotificatiesSettings
    from services.notificaties.gebeurtenis import service as gebeurtenis_service

    data_dir = work / "backlog"
    with ExitStack() as stack, database(data_dir) as db_env:
        idp_port = free_port()
        issuer = f"http://127.0.0.1:{idp_port}"
        keys = generate_key_spec("bench")
        nats = NatsServer(work / "nats-backlog")
        nats.start()
        stack.callback(nats.stop)
        env = {
            "WEERBAAR_ENV": "test",
            "WEERBAAR_OIDC_ISSUER": issuer,
            "WEERBAAR_DATA_DIR": str(data_dir),
            "WEERBAAR_LOG_LEVEL": "WARNING",
            "WEERBAAR_DATA_KEYS": keys,
            "WEERBAAR_NATS_URL": nats.url,
            "WEERBAAR_WEBHOOK_ALLOWED_HOSTS": "localhost",
            **db_env,
        }
        started: list[RunningProcess] = []
        stack.callback(lambda: list(map(RunningProcess.stop, reversed(started))))
        started.append(
            start_process("devidp", ["devidp", "serve"], env=env, log_dir=work, port=idp_port)
        )
        receivers = Receivers()
        stack.callback(receivers.close)
        api = start_process(
            "notificaties",
            ["services.notificaties", "serve"],
            env={**env, "WEERBAAR_WORKER": "false"},
            log_dir=work,
        )
        for n in range(SUBSCRIPTIONS):
            owb = token(issuer, f"bench-owb{n}", ["behandelaar"], "OWB")
            for _attempt in range(30):  # 401 until a slow start has loaded the IdP's keys
                made = httpx.post(
                    f"{api.url}{NOTIFICATIES}/abonnementen",
                    json={"callbackUrl": receivers.url(n), "types": ["nl.weerbaarbestuur.*"]},
                    headers=owb,
                    timeout=30,
                )
                if made.status_code != 401:
                    break
                time.sleep(1)
            made.raise_for_status()
        api.stop()
        settings = NotificatiesSettings(
            data_dir=data_dir,
            database_url=db_env.get("WEERBAAR_DATABASE_URL"),
            data_keys=keys,
        )
        key_ring = load_key_ring(settings)
        bereik = json.dumps(
            {
                "organisatie": "GM0363",
                "vertrouwelijk": False,
                "owbBereik": False,
                "melder": "m",
                "behandelaar": None,
            }
        )

        async def store() -> None:
            engine = create_engine_for(_target(db_env, data_dir, "notificaties"))
            sessions = session_factory(engine)
            try:
                for i in range(args.backlog):
                    event = {
                        "specversion": "1.0",
                        "id": str(uuid.uuid4()),
                        "source": "urn:nld:weerbaarbestuur:meldingen",
                        "type": "nl.weerbaarbestuur.meldingen.melding-aangemaakt",
                        "time": datetime.now(UTC).isoformat(),
                        "subject": f"backlog-{i}",
                        "datacontenttype": "application/json",
                        "dataref": "http://127.0.0.1:8000/api/meldingen/v1/meldingen/x",
                        "data": {"organisatie": "GM0363", "prioriteit": "normaal"},
                    }
                    binnenkomst = gebeurtenis_service.lees(json.dumps(event).encode(), bereik)
                    async with sessions() as session, session.begin():
                        await gebeurtenis_service.opslaan(session, key_ring, binnenkomst)
            finally:
                await engine.dispose()

        asyncio.run(store())
        expected = args.backlog * SUBSCRIPTIONS
        started.append(
            start_process(
                "notificaties",
                ["services.notificaties", "serve"],
                env=env,
                log_dir=work,
            )
        )
        deadline = time.perf_counter() + 300
        while receivers.count < expected and time.perf_counter() < deadline:
            time.sleep(0.1)
        span = receivers.last - receivers.first
        return {
            "delivered": receivers.count,
            "expected": expected,
            "per_s": (receivers.count - 1) / span if span > 0 else float("nan"),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="load per configuration")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="5 s per configuration")
    parser.add_argument("--spoed", action="store_true", help="the acute path at low load only")
    parser.add_argument("--spoed-count", type=int, default=50)
    parser.add_argument("--spoed-pause", type=float, default=0.5)
    parser.add_argument(
        "--backlog",
        type=int,
        default=0,
        help="also: the deliverer alone, this many events already stored for 10 subscriptions",
    )
    parser.add_argument("--backlog-only", action="store_true", help="only the backlog measurement")
    args = parser.parse_args()
    if args.quick:
        args.seconds = 5.0
    work = Path(tempfile.mkdtemp(prefix="wb-bench-events-"))
    backend = "PostgreSQL" if os.environ.get("WEERBAAR_TEST_DATABASE_URL") else "SQLite"
    if args.spoed:
        on = run_stack(args, work, events_on=True)
        print(
            f"spoed at low load, {backend}: {on['spoed']} acute reports, one every "
            f"{args.spoed_pause} s, {SUBSCRIPTIONS} subscriptions"
        )
        print(
            f"  spoed create (201) → webhook at the receiver: p50 {on['p50_ms']:.0f} ms, "
            f"p99 {on['p99_ms']:.0f} ms, max {on['max_ms']:.0f} ms "
            f"({on['spoed_received']} of {on['spoed']} received)"
        )
        print("  reproduce: .venv/bin/python benchmarks/events.py " + " ".join(sys.argv[1:]))
        return
    if args.backlog or args.backlog_only:
        args.backlog = args.backlog or 2000
        backlog = delivery_backlog(args, work)
        print(
            f"events benchmark, {backend}, backlog of {args.backlog} events × {SUBSCRIPTIONS}"
            f" subscriptions: {backlog['delivered']} of {backlog['expected']} delivered,"
            f" {backlog['per_s']:.0f} deliveries/s"
        )
        if args.backlog_only:
            print("  reproduce: .venv/bin/python benchmarks/events.py " + " ".join(sys.argv[1:]))
            return
    off = run_stack(args, work, events_on=False)
    on = run_stack(args, work, events_on=True)
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
    print(
        f"  spoed stages (p50)   : published by the relay {on['published_p50_ms']:.0f} ms"
        f" after the event time, stored by notificaties {on['stored_p50_ms']:.0f} ms after"
        f" the event time, attempt recorded {on['attempted_p50_ms']:.0f} ms after storing"
    )
    print("  reproduce: .venv/bin/python benchmarks/events.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
