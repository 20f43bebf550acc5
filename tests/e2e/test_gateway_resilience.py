"""Upstream failures at the gateway: 502, 504, the circuit breaker, retries, coming back."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from gateway_processes import GatewayProcess, echo_upstream, start_gateway

from tests.conftest import DevIdp
from tests.support.processes import RunningProcess, free_port
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

NO_LIMITS = json.dumps({"*": "1000/1000"})


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    return tmp_path


def _metric(gw: GatewayProcess, name: str, **labels: str) -> float | None:
    for line in httpx.get(gw.metrics_url).text.splitlines():
        if line.startswith(f"{name}{{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
        if not labels and line.startswith(f"{name} "):
            return float(line.rsplit(" ", 1)[1])
    return None


class ClosingServer:
    """Accepts connections and closes them at once, counting them: a service that crashes."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = int(self.sock.getsockname()[1])
        self.accepted = 0
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            conn.recv(65536)
            conn.close()

    def close(self) -> None:
        self._stop = True
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def closing_server() -> Iterator[ClosingServer]:
    server = ClosingServer()
    yield server
    server.close()


def test_hanging_upstream_gives_504_within_the_timeout_and_recovers(
    logs: Path, devidp: DevIdp
) -> None:
    echo = echo_upstream("beveiliging", logs)
    gw = start_gateway(
        logs,
        devidp.issuer,
        {"beveiliging": echo.url},
        # The global total stays at its default (30 s): the per-service one must win.
        upstream_timeouts=json.dumps({"beveiliging": {"total": 1.5, "connect": 1}}),
        rate_limits=NO_LIMITS,
    )
    headers = devidp.headers("gw-slow", ["melder"])
    try:
        started = time.monotonic()
        slow = httpx.get(f"{gw.url}/api/beveiliging/v1/slow", headers=headers, timeout=10)
        elapsed = time.monotonic() - started
        assert slow.status_code == 504
        assert slow.headers["content-type"] == "application/problem+json"
        assert 1.4 <= elapsed < 3.0, elapsed
        fine = httpx.get(f"{gw.url}/api/beveiliging/v1/echo", headers=headers)
        assert fine.status_code == 200
        assert _metric(gw, "gateway_upstream_errors_total", upstream="beveiliging", kind="timeout")
    finally:
        gw.stop()
        echo.stop()


def test_breaker_opens_on_a_dead_upstream_and_closes_after_recovery(
    logs: Path, devidp: DevIdp
) -> None:
    port = free_port()
    gw = start_gateway(
        logs,
        devidp.issuer,
        {"beveiliging": f"http://127.0.0.1:{port}"},
        breaker_failure_threshold="3",
        breaker_open_seconds="1.5",
        upstream_retries="0",
        rate_limits=NO_LIMITS,
    )
    headers = devidp.headers("gw-breaker", ["melder"])
    url = f"{gw.url}/api/beveiliging/v1/echo"
    echo: RunningProcess | None = None
    try:
        assert [httpx.get(url, headers=headers).status_code for _ in range(3)] == [502] * 3
        started = time.monotonic()
        refused = httpx.get(url, headers=headers)
        assert refused.status_code == 503
        assert time.monotonic() - started < 1.0  # refused at once, no upstream attempt
        assert 1 <= int(refused.headers["retry-after"]) <= 2
        assert refused.headers["content-type"] == "application/problem+json"
        assert _metric(gw, "gateway_circuit_breaker_state", upstream="beveiliging") == 2
        echo = echo_upstream("beveiliging", logs, port=port)

        # Refused (503) until the open period ends; then the half-open probe goes through.
        def not_refused() -> httpx.Response | None:
            response = httpx.get(url, headers=headers)
            return None if response.status_code == 503 else response

        probe = wait_until(not_refused, what="the breaker to let a half-open probe through")
        assert probe.status_code == 200, probe.text
        assert httpx.get(url, headers=headers).status_code == 200
        assert _metric(gw, "gateway_circuit_breaker_state", upstream="beveiliging") == 0
        circuit = httpx.get(f"{gw.url}/health/ready").json()["upstreams"]["beveiliging"]
        assert circuit == {"status": "up", "circuit": "closed"}
    finally:
        gw.stop()
        if echo is not None:
            echo.stop()


def test_connection_failures_are_retried_for_get_but_never_for_post(
    logs: Path, devidp: DevIdp, closing_server: ClosingServer
) -> None:
    gw = start_gateway(
        logs,
        devidp.issuer,
        {"beveiliging": f"http://127.0.0.1:{closing_server.port}"},
        upstream_retries="1",
        rate_limits=NO_LIMITS,
    )
    headers = {**devidp.headers("gw-retry", ["melder"]), "Content-Type": "application/json"}
    try:
        get = httpx.get(f"{gw.url}/api/beveiliging/v1/x", headers=headers)
        assert get.status_code == 502
        assert closing_server.accepted == 2
        post = httpx.post(f"{gw.url}/api/beveiliging/v1/x", headers=headers, content=b"{}")
        assert post.status_code == 502
        assert closing_server.accepted == 3  # one attempt: a POST may have been acted on
    finally:
        gw.stop()


def test_merged_document_picks_up_a_service_that_comes_back(logs: Path, devidp: DevIdp) -> None:
    port = free_port()
    gw = start_gateway(
        logs, devidp.issuer, {"kennisbank": f"http://127.0.0.1:{port}"}, rate_limits=NO_LIMITS
    )
    echo: RunningProcess | None = None
    try:
        before = httpx.get(f"{gw.url}/api/openapi.json").json()
        assert "/api/kennisbank/v1/echo" not in before["paths"]
        assert "kennisbank" in before["info"]["x-onbeschikbaar"]
        echo = echo_upstream("kennisbank", logs, port=port)

        def merged_with_kennisbank() -> dict[str, Any] | None:
            document: dict[str, Any] = httpx.get(f"{gw.url}/api/openapi.json").json()
            return document if "/api/kennisbank/v1/echo" in document["paths"] else None

        after = wait_until(
            merged_with_kennisbank, what="the service's paths back in the merged document"
        )
        assert "x-onbeschikbaar" not in after["info"]
    finally:
        gw.stop()
        if echo is not None:
            echo.stop()
