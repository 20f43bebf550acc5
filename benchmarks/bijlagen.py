"""Attachments benchmark: upload and download MiB/s of 1 MiB and 20 MiB files, directly at
the meldingen service and through the gateway in the same run, and the service's peak RSS
during 4 parallel 20 MiB uploads (goal: under 150 MB, i.e. streamed, not buffered).

Real processes (dev IdP, meldingen, gateway) on loopback; PostgreSQL when
WEERBAAR_TEST_DATABASE_URL is set (a throwaway database), else SQLite in a temp directory.
No virus scanner (files are `niet_gescand`), so scanning does not compete for the CPU.

    WEERBAAR_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/bijlagen.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from services.common.crypto import generate_key_spec  # noqa: E402
from services.common.db import DatabaseTarget, _async_url, database_target  # noqa: E402
from services.common.migrations import upgrade  # noqa: E402
from services.common.settings import ServiceSettings  # noqa: E402
from tests.meldingen.bijlagen import MIB, png_of_size  # noqa: E402
from tests.support import postgres  # noqa: E402
from tests.support.processes import RunningProcess, free_port, start_process  # noqa: E402

BODY = {
    "gedragstype": "instrumentele_agressie",
    "vormen": ["online"],
    "omschrijving": "Benchmark: dreigberichten via sociale media.",
    "datumVoorval": "2026-01-10T10:00:00+01:00",
    "functie": "burgemeester",
}
BASE = "/api/meldingen/v1"


def _rss_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def _melding(base: str, headers: dict[str, str]) -> str:
    response = httpx.post(f"{base}{BASE}/meldingen", json=BODY, headers=headers, timeout=30)
    response.raise_for_status()
    return str(response.json()["id"])


def _round_trip(
    base: str, headers: dict[str, str], data: bytes, rounds: int
) -> tuple[float, float]:
    """MiB/s up and down: `rounds` uploads of `data`, then each downloaded once."""
    melding = _melding(base, headers)
    url = f"{base}{BASE}/meldingen/{melding}/bijlagen"
    ids, up, down = [], [], []
    with httpx.Client(timeout=300) as client:
        for _ in range(rounds):
            began = time.perf_counter()
            response = client.post(
                url, files={"bestand": ("bewijs.png", data, "image/png")}, headers=headers
            )
            up.append(time.perf_counter() - began)
            if response.status_code != 201:
                raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
            ids.append(response.json()["id"])
        for bijlage in ids:
            began = time.perf_counter()
            response = client.get(f"{url}/{bijlage}/inhoud", headers=headers)
            down.append(time.perf_counter() - began)
            if response.status_code != 200 or len(response.content) != len(data):
                raise RuntimeError(f"download {response.status_code}")
    mib = len(data) / MIB
    return mib / statistics.median(up), mib / statistics.median(down)


async def _parallel_uploads(base: str, headers: dict[str, str], data: bytes, n: int) -> None:
    melding = _melding(base, headers)
    url = f"{base}{BASE}/meldingen/{melding}/bijlagen"
    async with httpx.AsyncClient(timeout=300) as client:
        answers = await asyncio.gather(
            *(
                client.post(
                    url, files={"bestand": (f"b{i}.png", data, "image/png")}, headers=headers
                )
                for i in range(n)
            )
        )
    bad = [a.status_code for a in answers if a.status_code != 201]
    if bad:
        raise RuntimeError(f"parallel uploads answered {bad}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="uploads per size and path")
    args = parser.parse_args()
    admin = os.environ.get("WEERBAAR_TEST_DATABASE_URL")
    work = Path(tempfile.mkdtemp(prefix="wb-bench-bijlagen-"))
    url = postgres.create_database(admin, prefix="wb_bench_bijlagen") if admin else None
    processes: list[RunningProcess] = []
    try:
        if url:
            upgrade("meldingen", DatabaseTarget(_async_url(url), "meldingen"))
        else:
            upgrade(
                "meldingen",
                database_target(
                    ServiceSettings(data_dir=work), service="meldingen", schema="meldingen"
                ),
            )
        idp_port = free_port()
        issuer = f"http://127.0.0.1:{idp_port}"
        common = {
            "WEERBAAR_ENV": "test",
            "WEERBAAR_OIDC_ISSUER": issuer,
            "WEERBAAR_DATA_DIR": str(work),
            "WEERBAAR_LOG_LEVEL": "WARNING",
        }
        processes.append(
            start_process("devidp", ["devidp", "serve"], env=common, log_dir=work, port=idp_port)
        )
        service_env = {
            **common,
            "WEERBAAR_DATA_KEYS": generate_key_spec("bench"),
            # One subject uploads every file: the daily allowance would end a long run.
            "WEERBAAR_BIJLAGEN_MIB_PER_DAG": str(1024 * 1024),
        }
        if url:
            service_env["WEERBAAR_DATABASE_URL"] = url
        meldingen = start_process(
            "meldingen", ["services.meldingen", "serve"], env=service_env, log_dir=work
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
                "WEERBAAR_UPSTREAM_TOTAL_TIMEOUT": "300",
                "WEERBAAR_UPSTREAM_READ_TIMEOUT": "120",
                "WEERBAAR_UPSTREAM_WRITE_TIMEOUT": "120",
            },
            log_dir=work,
        )
        processes.append(gateway)
        token = httpx.post(
            f"{issuer}/dev/token",
            json={"sub": "bench-melder", "roles": ["melder"], "org": "GM0363"},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        pid = meldingen.process.pid
        files = {1: png_of_size(MIB), 20: png_of_size(20 * MIB)}

        # Memory first, on a process that has not handled a large file yet.
        idle = _rss_kib(pid, "VmRSS")
        asyncio.run(_parallel_uploads(meldingen.url, headers, files[20], 4))
        peak = _rss_kib(pid, "VmHWM")
        print(f"database: {'PostgreSQL' if url else 'SQLite'}; {args.rounds} files per cell")
        print(
            f"meldingen RSS: {idle / 1024:.0f} MiB idle, peak {peak / 1024:.0f} MiB during "
            f"4 parallel 20 MiB uploads (goal < 150 MB = {150e6 / MIB:.0f} MiB)"
        )
        print(
            f"{'size':>6} | {'direct up':>10} {'down':>8} | {'gateway up':>10} {'down':>8} |"
            f" {'gw/direct up':>12} {'down':>6}"
        )
        for size, data in files.items():
            d_up, d_down = _round_trip(meldingen.url, headers, data, args.rounds)
            g_up, g_down = _round_trip(gateway.url, headers, data, args.rounds)
            print(
                f"{size:>3} MiB | {d_up:>10.1f} {d_down:>8.1f} | {g_up:>10.1f} {g_down:>8.1f} |"
                f" {g_up / d_up:>12.2f} {g_down / d_down:>6.2f}"
            )
        print("MiB/s, median per file; up = POST multipart until 201, down = GET …/inhoud")
        print(
            f"reproduce: {'WEERBAAR_TEST_DATABASE_URL=... ' if url else ''}"
            f".venv/bin/python benchmarks/bijlagen.py --rounds {args.rounds}"
        )
    finally:
        for process in reversed(processes):
            process.stop()
        if admin and url:
            postgres.drop_database(admin, url)


if __name__ == "__main__":
    main()
