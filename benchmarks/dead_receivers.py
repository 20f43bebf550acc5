"""Dead receivers benchmark: time to deliver N events to a live subscriber while K dead
subscribers get the same events, on a baseline commit and on this tree, side by side.

The dead ones are the two kinds the follow-up names: receivers that hold every request
(slow-loris, at the same host and port as the live one, as tenants of one receiver host are)
and one whose port refuses connections. The events are stored before the deliverer starts;
the clock runs from its start until the live receiver has every event. One deliverer in
process (`Bezorger`, as the service runs it), a fresh database per run (SQLite, or
PostgreSQL when WEERBAAR_TEST_DATABASE_URL is set), real HTTP on loopback.

    WEERBAAR_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/dead_receivers.py [--baseline REF] [--events 200]

The baseline's `services/` and `tests/` are taken with `git archive` into a temporary folder
and this script runs there in a child process, so both sides run the same measuring code on
their own service code. `--baseline` defaults to the merge base with `main`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

KENNISBANK = "nl.weerbaarbestuur.kennisbank.artikel-gepubliceerd"
HOLD_SECONDS = 120.0


class Ontvanger:
    """`/live` answers 200; `/hold-*` keeps the request open far past any time limit."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.live: list[str] = []
        self.held = 0
        self.stop = threading.Event()
        state = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.startswith("/hold-"):
                    with state.lock:
                        state.held += 1
                    state.stop.wait(HOLD_SECONDS)
                    return
                with state.lock:
                    state.live.append(self.headers["webhook-id"])
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


def _envelope() -> dict[str, Any]:
    resource = str(uuid.uuid4())
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "urn:nld:weerbaarbestuur:kennisbank",
        "type": KENNISBANK,
        "time": datetime.now(UTC).isoformat(),
        "subject": resource,
        "datacontenttype": "application/json",
        "dataref": f"http://127.0.0.1:8000/api/kennisbank/v1/artikelen/{resource}",
        "data": {"slug": "x"},
    }


async def _measure(
    args: argparse.Namespace, data_dir: Path, database_url: str | None
) -> dict[str, Any]:
    from services.common.crypto import generate_key_spec, load_key_ring
    from services.common.db import create_engine_for, database_target, session_factory
    from services.common.migrations import upgrade
    from services.common.principal import Principal
    from services.notificaties.abonnement import service as abonnementen
    from services.notificaties.abonnement.schemas import AbonnementCreate
    from services.notificaties.aflevering.bezorger import Bezorger
    from services.notificaties.config import NotificatiesSettings
    from services.notificaties.gebeurtenis import service as gebeurtenissen
    from tests.support.processes import free_port

    settings = NotificatiesSettings(
        data_dir=data_dir,
        database_url=database_url,
        data_keys=generate_key_spec("bench"),
        nats_url="nats://127.0.0.1:9",
        env="test",
        worker=False,
        webhook_allowed_hosts=["localhost"],
        webhook_timeout_seconds=args.timeout,
        webhook_lease_seconds=args.timeout * 3,
        webhook_retry_schedule=args.schedule,
        webhook_concurrency=args.concurrency,
    )
    target = database_target(settings, service="notificaties", schema="notificaties")
    await asyncio.to_thread(upgrade, "notificaties", target)
    key_ring = load_key_ring(settings)
    engine = create_engine_for(target)
    sessions = session_factory(engine)
    ontvanger = Ontvanger()
    refused = free_port()  # bound once, then nothing listens there
    base = f"http://localhost:{ontvanger.port}"
    urls = [f"{base}/live"]
    urls += [f"{base}/hold-{n}" for n in range(args.holding)]
    urls += [f"http://localhost:{refused}/refuse-{n}" for n in range(args.refusing)]
    try:
        caller = Principal(sub="bench-partner", org="OWB", roles=frozenset({"redacteur"}))
        async with sessions() as session, session.begin():
            for url in urls:
                data = AbonnementCreate.model_validate({"callbackUrl": url, "types": [KENNISBANK]})
                await abonnementen.maak(session, settings, key_ring, caller, data)
        for start in range(0, args.events, 50):
            batch = [
                gebeurtenissen.lees(json.dumps(_envelope()).encode(), "{}")
                for _ in range(min(50, args.events - start))
            ]
            async with sessions() as session, session.begin():
                await gebeurtenissen.opslaan_alle(session, key_ring, batch)
        bezorger = Bezorger(sessions, settings, key_ring)
        started = time.monotonic()
        task = asyncio.create_task(bezorger.run())
        while len(set(ontvanger.live)) < args.events:
            if time.monotonic() - started > args.deadline:
                break
            await asyncio.sleep(0.02)
        seconds = time.monotonic() - started
        bezorger.stop()
        await asyncio.gather(task, return_exceptions=True)
        return {
            "seconds": round(seconds, 3),
            "delivered": len(set(ontvanger.live)),
            "per_second": round(len(set(ontvanger.live)) / seconds, 1),
            "held_requests": ontvanger.held,
        }
    finally:
        ontvanger.close()
        await engine.dispose()


def _run_here(args: argparse.Namespace) -> None:
    database_url = None
    admin = os.environ.get("WEERBAAR_TEST_DATABASE_URL")
    if admin:
        from tests.support import postgres

        database_url = postgres.create_database(admin, prefix="wb_bench")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            result = asyncio.run(_measure(args, Path(tmp), database_url))
        finally:
            if admin and database_url:
                postgres.drop_database(admin, database_url)
    print(json.dumps(result))


def _side(root: Path, argv: list[str]) -> dict[str, Any]:
    script = root / "benchmarks" / "dead_receivers.py"
    done = subprocess.run(
        [sys.executable, str(script), "--measure", *argv],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{root}: {done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _baseline_tree(ref: str, into: Path) -> None:
    archive = subprocess.run(
        ["git", "archive", ref, "services", "tests"], cwd=ROOT, capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    (into / "benchmarks").mkdir()
    shutil.copy(Path(__file__), into / "benchmarks" / "dead_receivers.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 events (for make bench)")
    parser.add_argument("--events", type=int, default=None, help="events to deliver (200)")
    parser.add_argument("--holding", type=int, default=2, help="receivers that hold requests")
    parser.add_argument("--refusing", type=int, default=1, help="receivers that refuse")
    parser.add_argument("--timeout", type=float, default=2.0, help="webhook time limit, s")
    parser.add_argument(
        "--schedule", default="5,300,1800,7200,18000,36000,36000", help="retry delays, s"
    )
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--deadline", type=float, default=60.0, help="give up after, s")
    parser.add_argument("--baseline", default=None, help="git ref (default: merge base, main)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.events = args.events or (50 if args.quick else 200)
    if args.measure:
        args.schedule = [float(s) for s in args.schedule.split(",") if s.strip()]
        _run_here(args)
        return
    ref = (
        args.baseline
        or subprocess.run(
            ["git", "merge-base", "HEAD", "main"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    argv = [
        f"--events={args.events}",
        f"--holding={args.holding}",
        f"--refusing={args.refusing}",
        f"--timeout={args.timeout}",
        f"--schedule={args.schedule}",
        f"--concurrency={args.concurrency}",
        f"--deadline={args.deadline}",
    ]
    print("command:", " ".join([sys.argv[0], *sys.argv[1:]]))
    print(
        f"{args.events} events to 1 live subscriber; {args.holding} holding (same host), "
        f"{args.refusing} refusing; time limit {args.timeout} s; schedule {args.schedule}; "
        f"database {'PostgreSQL' if os.environ.get('WEERBAAR_TEST_DATABASE_URL') else 'SQLite'}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        _baseline_tree(ref, Path(tmp))
        before = _side(Path(tmp), argv)
    after = _side(ROOT, argv)
    print(f"{'':12}{'baseline ' + ref[:10]:>22}{'this tree':>14}{'ratio':>9}")
    for key in ("seconds", "delivered", "per_second", "held_requests"):
        ratio = after[key] / before[key] if before[key] else float("nan")
        print(f"{key:12}{before[key]:>22}{after[key]:>14}{ratio:>9.2f}")
    if before["delivered"] < args.events:
        print(f"baseline did not deliver all {args.events} within {args.deadline} s")


if __name__ == "__main__":
    main()
