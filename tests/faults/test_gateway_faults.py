"""The gateway under failure: an upstream killed while requests flow, and Redis gone.

Real processes: our own dev IdP (session fixture), a meldingen process on SQLite, the
gateway, and for the Redis case our own redis-server on a free port (never the shared one).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import Backend, DevIdp
from tests.support.processes import RunningProcess, free_port, start_process
from tests.support.waiting import wait_until

BASE = "/api/meldingen/v1"
RATES = json.dumps({"*": "1000/1000", "meldingen-aanmaken": "1000/1000"})


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


class Tally:
    """Answers the request thread saw, by status; read from the test thread under a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, key: str) -> None:
        with self._lock:
            self._counts[key] += 1

    def snapshot(self) -> Counter[str]:
        with self._lock:
            return self._counts.copy()

    def ok(self) -> int:
        return self.snapshot()["200"]

    def failures(self) -> dict[str, int]:
        return {key: n for key, n in self.snapshot().items() if key != "200"}


def _flow(url: str, headers: dict[str, str], stop: threading.Event, seen: Tally) -> None:
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
                seen.add(key)
            except httpx.HTTPError as exc:  # the gateway itself must keep answering
                seen.add(f"client {type(exc).__name__}")
            stop.wait(0.02)  # a steady trickle, not a busy loop


def test_upstream_killed_while_requests_flow_gives_problems_and_recovers(
    backend_dir: Backend, devidp: DevIdp, tmp_path: Path
) -> None:
    from tests.e2e.gateway_processes import start_gateway

    service = _meldingen(backend_dir, devidp, tmp_path)
    gateway = start_gateway(tmp_path, devidp.issuer, {"meldingen": service.url}, rate_limits=RATES)
    headers = devidp.headers("gw-fault-handler", ["behandelaar"], "GM0411")
    seen = Tally()
    stop = threading.Event()
    flow = threading.Thread(target=_flow, args=(gateway.url, headers, stop, seen), daemon=True)
    try:
        flow.start()
        wait_until(lambda: seen.ok() >= 5, what="answers while all is up", describe=seen.snapshot)
        assert not seen.failures(), f"failures before the upstream went down: {seen.snapshot()}"

        service.process.kill()  # no graceful shutdown: connections die mid-flight
        service.process.wait(timeout=5)
        # While the upstream is down, and the gateway still runs: only 502/503/504 problems
        # (a 5xx without problem+json or a client-side error has its own key and fails this).
        wait_until(
            lambda: sum(seen.failures().values()) >= 5,
            what="failures while the upstream is down",
            describe=seen.snapshot,
        )
        down = seen.failures()
        assert set(down) <= {"502", "503", "504"}, seen.snapshot()
        assert gateway.process.poll() is None, "the gateway died with its upstream"
        assert httpx.get(f"{gateway.url}/health/live").status_code == 200

        service = _meldingen(backend_dir, devidp, tmp_path, port=service.port)
        answered = seen.ok()
        wait_until(
            lambda: seen.ok() >= answered + 5,
            what="the gateway to recover by itself (the flow answered 200 again)",
            describe=seen.snapshot,
        )
        assert set(seen.failures()) <= {"502", "503", "504"}, seen.snapshot()
        assert gateway.process.poll() is None, "the gateway crashed during the test"
    finally:
        stop.set()
        flow.join(timeout=15)
        gateway.stop()
        service.stop()


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

    def accepts() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except OSError:
            return False
        return True

    wait_until(accepts, what="our redis-server to accept connections", timeout=10)
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
