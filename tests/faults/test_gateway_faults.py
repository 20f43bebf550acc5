"""The gateway under failure: an upstream killed while requests flow, and Redis gone.

Real processes: our own dev IdP (session fixture), a meldingen process on SQLite, the
gateway, and for the Redis case our own redis-server on a free port (never the shared one).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Backend, DevIdp
from tests.support.processes import RunningProcess, free_port, start_process

BASE = "/api/meldingen/v1"
RATES = json.dumps({"*": "1000/1000", "meldingen-aanmaken": "1000/1000"})


def _gateway_ready() -> bool:
    root = Path(__file__).resolve().parents[2]
    return (root / "gateway" / "app.py").exists() and (root / "gateway" / "__main__.py").exists()


pytestmark = pytest.mark.skipif(not _gateway_ready(), reason="gateway/ has no app yet")


def _meldingen(backend: Backend, devidp: DevIdp, log_dir: Path, port: int | None = None) -> Any:
    backend.migrate("meldingen")
    return start_process(
        "meldingen",
        ["services.meldingen", "serve"],
        env={**backend.env(), "WEERBAAR_OIDC_ISSUER": devidp.issuer, "WEERBAAR_ENV": "test"},
        log_dir=log_dir,
        port=port,
        ready_path="/health/ready",
        timeout=60,
    )


@pytest.fixture
def backend_dir(tmp_path: Path) -> Backend:
    return Backend("gw-fault", tmp_path / "data")


def _flow(url: str, headers: dict[str, str], stop: threading.Event, seen: Counter[str]) -> None:
    with httpx.Client(base_url=url, timeout=10) as http:
        while not stop.is_set():
            try:
                response = http.get(f"{BASE}/meldingen", headers=headers)
                problem = response.headers.get("content-type", "").startswith(
                    "application/problem+json"
                )
                key = str(response.status_code)
                if response.status_code >= 500 and not problem:
                    key += " not problem+json"
                seen[key] += 1
            except httpx.HTTPError as exc:  # the gateway itself must keep answering
                seen[f"client {type(exc).__name__}"] += 1
            time.sleep(0.02)


def test_upstream_killed_while_requests_flow_gives_problems_and_recovers(
    backend_dir: Backend, devidp: DevIdp, tmp_path: Path
) -> None:
    from tests.e2e.gateway_processes import start_gateway

    service = _meldingen(backend_dir, devidp, tmp_path)
    gateway = start_gateway(tmp_path, devidp.issuer, {"meldingen": service.url}, rate_limits=RATES)
    headers = devidp.headers("gw-fault-handler", ["behandelaar"], "GM0411")
    seen: Counter[str] = Counter()
    stop = threading.Event()
    flow = threading.Thread(target=_flow, args=(gateway.url, headers, stop, seen), daemon=True)
    try:
        flow.start()
        time.sleep(1.0)
        service.process.kill()  # no graceful shutdown: connections die mid-flight
        service.process.wait(timeout=5)
        time.sleep(2.0)
        down = dict(seen)
        service = _meldingen(backend_dir, devidp, tmp_path, port=service.port)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if httpx.get(f"{gateway.url}{BASE}/meldingen", headers=headers).status_code == 200:
                break
            time.sleep(0.5)
        else:
            raise AssertionError(f"gateway did not recover by itself: {dict(seen)}")
        time.sleep(0.5)
    finally:
        stop.set()
        flow.join(timeout=15)
        gateway.stop()
        service.stop()
    assert seen["200"] > 0
    failures = {k: v for k, v in down.items() if k != "200"}
    assert failures, f"no failure seen while the upstream was down: {down}"
    assert set(failures) <= {"502", "503", "504"}, seen  # problem+json, no client errors
    assert gateway.process.returncode is not None  # stopped by us, never crashed before


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server not installed")
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    import socket

    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    yield process, port
    if process.poll() is None:
        process.kill()
        process.wait(timeout=5)


def test_redis_gone_the_gateway_keeps_serving(
    backend_dir: Backend,
    devidp: DevIdp,
    tmp_path: Path,
    own_redis: tuple[subprocess.Popen[bytes], int],
) -> None:
    from tests.e2e.gateway_processes import start_gateway

    redis, port = own_redis
    service = _meldingen(backend_dir, devidp, tmp_path)
    gateway: RunningProcess | None = None
    try:
        gateway = start_gateway(
            tmp_path,
            devidp.issuer,
            {"meldingen": service.url},
            rate_limits=RATES,
            redis_url=f"redis://127.0.0.1:{port}/0",
        )
        headers = devidp.headers("gw-redis-handler", ["behandelaar"], "GM0412")
        with httpx.Client(base_url=gateway.url, timeout=10) as http:
            assert http.get(f"{BASE}/meldingen", headers=headers).status_code == 200
            redis.kill()
            redis.wait(timeout=5)
            statuses = Counter(
                http.get(f"{BASE}/meldingen", headers=headers).status_code for _ in range(30)
            )
            assert statuses == Counter({200: 30}), statuses
            assert http.get("/health/live").status_code == 200
            assert http.get("/health/ready").status_code == 200
    finally:
        if gateway is not None:
            gateway.stop()
        service.stop()
