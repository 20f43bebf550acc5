"""Load and soak benchmark through the gateway (not a test).

Starts its own stack on free loopback ports — dev IdP, meldingen, beveiliging, kennisbank
and the gateway — on SQLite in a temporary directory (or PostgreSQL with --database-url),
then runs a bounded number of clients for a fixed time with a realistic mix: mostly reads
and knowledge-base searches, some creates, status changes and notes. Prints throughput,
p50/p95/p99 per operation, errors, and each process's RSS at the start and the end.

    python benchmarks/load.py                   # 60 s
    python benchmarks/load.py --duration 600    # soak: RSS must stay flat
    python benchmarks/load.py --quick           # 15 s smoke (make bench)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.common.crypto import generate_key_spec  # noqa: E402
from tests.support.processes import RunningProcess, free_port, start_process  # noqa: E402

SERVICES = ("meldingen", "beveiliging", "kennisbank")
# operation → weight: mostly reads and searches
MIX = {
    "meldingen.list": 25,
    "meldingen.detail": 15,
    "kennisbank.zoeken": 25,
    "kennisbank.artikel": 8,
    "meldingen.create": 10,
    "meldingen.status": 7,
    "meldingen.notitie": 7,
    "beveiliging.catalogus": 3,
}
QUERIES = [
    "bedreiging",
    "wat te doen na een dreigbrief",
    "woningscan aanvragen",
    "agressieprotocol",
    "geintimideerd op sociale media",
    "aangifte doen",
    "ondermijning burgemeester",
    "nazorg na een incident",
]
ORG = "GM0363"
BASE = "/api/meldingen/v1"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )

    def record(self, op: str, seconds: float, status: int | str, ok: bool) -> None:
        self.latencies[op].append(seconds)
        if not ok:
            self.errors[op][str(status)] += 1


def start_stack(workdir: Path, database_url: str | None) -> dict[str, RunningProcess]:
    logs = workdir / "logs"
    idp_port = free_port()
    processes: dict[str, RunningProcess] = {}
    processes["devidp"] = start_process(
        "devidp",
        ["devidp", "serve"],
        env={
            "WEERBAAR_DATA_DIR": str(workdir / "idp"),
            "WEERBAAR_OIDC_ISSUER": f"http://127.0.0.1:{idp_port}",
        },
        log_dir=logs,
        port=idp_port,
    )
    env = {
        "WEERBAAR_DATA_DIR": str(workdir / "data"),
        "WEERBAAR_DATA_KEYS": generate_key_spec("bench-1"),
        "WEERBAAR_OIDC_ISSUER": processes["devidp"].url,
        "WEERBAAR_ENV": "test",
        "WEERBAAR_LOG_LEVEL": "WARNING",
    }
    if database_url:
        env["WEERBAAR_DATABASE_URL"] = database_url
    for service in SERVICES:
        for command in ("migrate", "seed"):
            if command == "seed" and service == "meldingen":
                continue
            subprocess.run(
                [sys.executable, "-m", f"services.{service}", command],
                cwd=ROOT,
                env={**os.environ, **env},
                check=True,
                stdout=subprocess.DEVNULL,
            )
        processes[service] = start_process(
            service,
            [f"services.{service}", "serve"],
            env=env,
            log_dir=logs,
            ready_path="/health/ready",
            timeout=60,
        )
    unlimited = "100000/100000"
    processes["gateway"] = start_process(
        "gateway",
        ["gateway", "serve"],
        env={
            # Its own metrics listener: never the default port of a running `make run`.
            "WEERBAAR_METRICS_PORT": str(free_port()),
            **env,
            **{f"WEERBAAR_{s.upper()}_URL": processes[s].url for s in SERVICES},
            "WEERBAAR_RATE_LIMITS": json.dumps(
                {
                    "*": unlimited,
                    "meldingen-aanmaken": unlimited,
                    "openapi": unlimited,
                    "kennisbank-publiek": unlimited,
                    "auth-failures": unlimited,
                }
            ),
        },
        log_dir=logs,
        ready_path="/health/ready",
        timeout=60,
    )
    return processes


def token(idp: str, sub: str, roles: list[str]) -> str:
    body = {"sub": sub, "roles": roles, "org": ORG, "name": None}
    response = httpx.post(f"{idp}/dev/token", json=body, timeout=10)
    response.raise_for_status()
    return str(response.json()["access_token"])


def melding() -> dict[str, Any]:
    return {
        "gedragstype": random.choice(
            ["frustratie_agressie", "verward_gedrag", "instrumentele_agressie"]
        ),
        "vormen": random.sample(["verbaal", "bedreiging", "online", "intimidatie"], 2),
        "omschrijving": "Belastingmelding: een bezoeker werd agressief aan de balie.",
        "datumVoorval": "2026-10-01T20:00:00+02:00",
        "functie": random.choice(["burgemeester", "wethouder", "raadslid", "ambtenaar"]),
    }


@dataclass
class Client:
    """One simulated user pair: a melder and a handler, and the meldingen they made."""

    http: httpx.AsyncClient
    melder: dict[str, str]
    handler: dict[str, str]
    slugs: list[str]
    ids: list[str] = field(default_factory=list)

    def request(self, op: str) -> tuple[Awaitable[httpx.Response], int, str | None]:
        """The request for `op`, the status it should get, and the melding it targets."""
        http, handler, ids = self.http, self.handler, self.ids
        if op == "meldingen.list":
            return (
                http.get(f"{BASE}/meldingen", params={"pageSize": 20}, headers=handler),
                200,
                None,
            )
        if op == "meldingen.detail":
            return http.get(f"{BASE}/meldingen/{random.choice(ids)}", headers=handler), 200, None
        if op == "meldingen.create":
            headers = {**self.melder, "Idempotency-Key": uuid.uuid4().hex}
            return http.post(f"{BASE}/meldingen", json=melding(), headers=headers), 201, None
        if op == "meldingen.status":
            target = random.choice(ids)
            body = {"status": "afgehandeld", "toelichting": "Afgerond in de benchmark."}
            url = f"{BASE}/meldingen/{target}/statuswijzigingen"
            return http.post(url, json=body, headers=handler), 201, target
        if op == "meldingen.notitie":
            note: dict[str, Any] = {"tekst": "Gebeld met de melder.", "zichtbaarVoorMelder": True}
            url = f"{BASE}/meldingen/{random.choice(ids)}/notities"
            return http.post(url, json=note, headers=handler), 201, None
        if op == "kennisbank.zoeken":
            params = {"q": random.choice(QUERIES)}
            return http.get("/api/kennisbank/v1/zoeken", params=params), 200, None
        if op == "kennisbank.artikel":
            url = f"/api/kennisbank/v1/artikelen/{random.choice(self.slugs)}"
            return http.get(url), 200, None
        return http.get("/api/beveiliging/v1/maatregelen", headers=self.melder), 200, None


async def client_loop(
    number: int, gateway: str, idp: str, deadline: float, stats: Stats, slugs: list[str]
) -> None:
    melder = {"Authorization": f"Bearer {token(idp, f'bench-melder-{number}', ['melder'])}"}
    handler = {"Authorization": f"Bearer {token(idp, f'bench-handler-{number}', ['behandelaar'])}"}
    ops, weights = zip(*MIX.items(), strict=True)
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as http:
        client = Client(http, melder, handler, slugs)
        ids = client.ids
        while time.monotonic() < deadline:
            op = random.choices(ops, weights)[0]
            if op in ("meldingen.detail", "meldingen.status", "meldingen.notitie") and not ids:
                op = "meldingen.create"
            request, expected, target = client.request(op)
            started = time.perf_counter()
            response: httpx.Response | None = None
            try:
                response = await request
                status: int | str = response.status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            elapsed = time.perf_counter() - started
            ok = status == expected
            if op == "meldingen.status" and status == 409:
                ok = True  # already closed by an earlier move: a rule, not an error
                if target in ids:
                    ids.remove(target)
            stats.record(op, elapsed, status, ok)
            if op == "meldingen.create" and ok and response is not None:
                ids.append(response.json()["id"])
                del ids[:-50]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def run_load(
    gateway: str, idp: str, clients: int, duration: float, slugs: list[str]
) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + duration
    await asyncio.gather(
        *(client_loop(i, gateway, idp, deadline, stats, slugs) for i in range(clients))
    )
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (soak: 600)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database-url", help="postgresql://… (default: SQLite)")
    parser.add_argument("--quick", action="store_true", help="15 s smoke run")
    args = parser.parse_args()
    duration = 15.0 if args.quick else args.duration
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as tmp:
        processes = start_stack(Path(tmp), args.database_url)
        try:
            gateway, idp = processes["gateway"].url, processes["devidp"].url
            listed = httpx.get(f"{gateway}/api/kennisbank/v1/artikelen", params={"pageSize": 100})
            slugs = [a["slug"] for a in listed.json()["results"]] or ["bestaat-niet"]
            asyncio.run(run_load(gateway, idp, args.clients, 3.0, slugs))  # warm-up
            rss_start = {n: rss_kib(p.process.pid) for n, p in processes.items()}
            started = time.monotonic()
            stats = asyncio.run(run_load(gateway, idp, args.clients, duration, slugs))
            wall = time.monotonic() - started
            rss_end = {n: rss_kib(p.process.pid) for n, p in processes.items()}
        finally:
            for process in reversed(list(processes.values())):
                process.stop()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    total = sum(len(v) for v in stats.latencies.values())
    errors = sum(sum(e.values()) for e in stats.errors.values())
    print(f"\n{args.clients} clients, {wall:.0f} s, {backend}, through the gateway")
    print(f"throughput: {total / wall:.1f} requests/s ({total} requests, {errors} errors)\n")
    print(f"{'operation':24} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  errors")
    for op in MIX:
        values = stats.latencies.get(op, [])
        if not values:
            continue
        errs = ", ".join(f"{k}×{v}" for k, v in stats.errors.get(op, {}).items()) or "-"
        print(
            f"{op:24} {len(values):7d} {percentile(values, 0.50):8.1f} "
            f"{percentile(values, 0.95):8.1f} {percentile(values, 0.99):8.1f}  {errs}"
        )
    print(f"\n{'process':12} {'RSS start MiB':>14} {'RSS end MiB':>12} {'change':>8}")
    for name in rss_start:
        a, b = rss_start[name] / 1024, rss_end[name] / 1024
        print(f"{name:12} {a:14.1f} {b:12.1f} {b - a:+8.1f}")
    return 1 if errors > total * 0.01 else 0


if __name__ == "__main__":
    raise SystemExit(main())
