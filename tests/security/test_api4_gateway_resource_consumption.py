"""API4 unrestricted resource consumption, at the socket of the running processes.

Issue 18, finding 1: POSTs that declare a body and stall after one byte made the gateway count
its own total timeout as an upstream failure and open the circuit breaker, so every user got
503. A stalled body is the client's failure (408, to that client); the upstream never sees it.
Finding 6: no process limited its request head (size, count, time to send it).

The gateway runs with a 2 s upstream total timeout: before the fix five stalled bodies opened
the breaker within seconds; the body-read and head-read timeouts are 1 s to keep this quick.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.breaker import BreakerState, CircuitBreaker
from gateway.config import GatewaySettings
from gateway.headers import ForwardingContext
from gateway.proxy import Proxy, UpstreamError, make_session
from tests.conftest import Backend, DevIdp
from tests.e2e.gateway_processes import start_gateway, start_meldingen
from tests.meldingen.conftest import melding_body
from tests.security.raw_http import connect, head, read_answer
from tests.support.processes import RunningProcess

pytestmark = pytest.mark.e2e

CREATE = "/api/meldingen/v1/meldingen"
FAST = {
    "WEERBAAR_BODY_READ_TIMEOUT": "1",
    "WEERBAAR_HEADER_READ_TIMEOUT": "1",
}
# Longer than any timeout under test: an answer that has not come by then is not coming.
WITHIN = 20.0


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("api4-socket")


@pytest.fixture(scope="module")
def meldingen(sqlite_only: Backend, devidp: DevIdp, logs: Path) -> Iterator[RunningProcess]:
    process = start_meldingen(sqlite_only, devidp.issuer, logs, FAST)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def gw(devidp: DevIdp, meldingen: RunningProcess, logs: Path) -> Iterator[RunningProcess]:
    process = start_gateway(
        logs,
        devidp.issuer,
        {"meldingen": meldingen.url},
        ready_path="/health/ready",
        upstream_total_timeout="2",
        rate_limits=json.dumps({"*": "1000/1000"}),
        body_read_timeout="1",
        header_read_timeout="1",
    )
    yield process
    process.stop()


def _stalled_post(port: int, token: str) -> socket.socket:
    """Declare 500 bytes of body, send one, then nothing."""
    sock = connect(port)
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Content-Length": "500",
    }
    sock.sendall(head("POST", CREATE, port, headers) + b"{")
    return sock


def test_stalled_bodies_are_the_clients_408_and_reporting_stays_up(
    gw: RunningProcess, devidp: DevIdp
) -> None:
    attacker = devidp.token("api4-stall-attacker", ["melder"])
    victim = devidp.headers("api4-stall-victim", ["melder"])
    sockets = [_stalled_post(gw.port, attacker) for _ in range(8)]  # above the threshold of 5
    try:
        with httpx.Client(base_url=gw.url, timeout=WITHIN) as http:
            # While the stalled bodies hang, an acute report still goes through.
            during = http.post(CREATE, json=melding_body(acuutGevaar=True), headers=victim)
            assert during.status_code == 201, during.text
            for sock in sockets:
                answer = read_answer(sock, WITHIN)
                assert answer.status == 408, answer
                assert answer.headers["content-type"] == "application/problem+json"
                assert answer.json()["status"] == 408
                assert answer.closed
            # The breaker did not count them: every other user keeps getting 201.
            for _ in range(3):
                after = http.post(CREATE, json=melding_body(), headers=victim)
                assert after.status_code == 201, after.text
    finally:
        for sock in sockets:
            sock.close()


def test_a_stalled_body_is_never_the_half_open_probe(meldingen: RunningProcess) -> None:
    """With the breaker half-open, a stalled request leaves the probe for the next request."""
    now = [0.0]
    settings = GatewaySettings(
        meldingen_url=meldingen.url,
        beveiliging_url="",
        kennisbank_url="",
        upstream_total_timeout=2.0,
        body_read_timeout=1.0,  # type: ignore[call-arg]
    )
    breaker = CircuitBreaker(
        "meldingen", failure_threshold=1, open_seconds=10, clock=lambda: now[0]
    )
    breaker.record_failure()
    now[0] = 11.0
    assert breaker.state is BreakerState.HALF_OPEN

    async def scenario() -> BaseException | None:
        session = make_session(settings)
        proxy = Proxy(session, settings, {"meldingen": breaker})
        sent = [{"type": "http.request", "body": b"{", "more_body": True}]

        async def receive() -> dict[str, object]:
            if sent:
                return sent.pop()
            await asyncio.sleep(3600)  # the client says nothing more
            raise AssertionError("unreachable")

        scope = {
            "type": "http",
            "method": "POST",
            "path": CREATE,
            "raw_path": CREATE.encode(),
            "query_string": b"",
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"500")],
        }
        context = ForwardingContext("127.0.0.1", "127.0.0.1", "http", "", "probe-test")
        try:
            async with asyncio.timeout(WITHIN):
                await proxy.forward(scope, receive, "meldingen", context)  # type: ignore[arg-type]
        except Exception as exc:
            return exc
        finally:
            await session.close()
        return None

    raised = asyncio.run(scenario())
    assert raised is not None
    assert not isinstance(raised, UpstreamError | TimeoutError), raised
    assert breaker.state is BreakerState.HALF_OPEN
    breaker.before_call()  # the probe is still there for a request with a whole body


def test_the_service_answers_a_stalled_body_with_408(
    meldingen: RunningProcess, devidp: DevIdp
) -> None:
    sock = _stalled_post(meldingen.port, devidp.token("api4-stall-direct", ["melder"]))
    try:
        answer = read_answer(sock, WITHIN)
    finally:
        sock.close()
    assert answer.status == 408, answer
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.closed


# Finding 6: the request head. Each process runs the same server (services.common.serving).


@pytest.fixture(params=["gw", "meldingen", "devidp"])
def target(request: pytest.FixtureRequest) -> RunningProcess:
    value = request.getfixturevalue(request.param)
    process: RunningProcess = value.process if isinstance(value, DevIdp) else value
    return process


def _send_head(port: int, raw: bytes) -> socket.socket:
    sock = connect(port)
    # Refused while still sending: the answer, if any, is read next.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        sock.sendall(raw)
    return sock


def test_an_oversized_header_is_431(target: RunningProcess) -> None:
    sock = _send_head(
        target.port, head("GET", "/health/live", target.port, {"X-Big": "a" * 1_000_000})
    )
    try:
        answer = read_answer(sock, WITHIN)
    finally:
        sock.close()
    assert answer.status == 431, answer
    assert answer.closed


def test_two_thousand_headers_are_431(target: RunningProcess) -> None:
    many = [(f"X-Pad-{i}", "1") for i in range(2000)]
    sock = _send_head(target.port, head("GET", "/health/live", target.port, many))
    try:
        answer = read_answer(sock, WITHIN)
    finally:
        sock.close()
    assert answer.status == 431, answer
    assert answer.closed


def test_an_ordinary_head_with_a_long_token_still_passes(
    target: RunningProcess, devidp: DevIdp
) -> None:
    headers = [(f"X-Extra-{i}", "x" * 40) for i in range(40)]
    headers.append(("Authorization", "Bearer " + devidp.token("api4-head-ok", ["melder"])))
    headers.append(("X-Long", "y" * 6000))
    sock = _send_head(target.port, head("GET", "/health/live", target.port, headers))
    try:
        answer = read_answer(sock, WITHIN)
    finally:
        sock.close()
    assert answer.status == 200, answer


@pytest.mark.parametrize("name", ["gw", "meldingen"])
def test_an_incomplete_head_is_closed_after_the_head_timeout(
    request: pytest.FixtureRequest, name: str
) -> None:
    process: RunningProcess = request.getfixturevalue(name)
    for partial in (b"", b"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "):
        sock = _send_head(process.port, partial)
        try:
            answer = read_answer(sock, WITHIN)
        finally:
            sock.close()
        assert answer.closed, (partial, answer)
        assert answer.status in (None, 408), answer


def test_an_oversized_pipelined_head_never_corrupts_the_answer_before_it(
    target: RunningProcess,
) -> None:
    first = head("GET", "/health/live", target.port, {})
    second = head("GET", "/health/live", target.port, {"X-Big": "b" * 200_000})[:-4]
    sock = _send_head(target.port, first + second)
    try:
        answer = read_answer(sock, WITHIN)
    finally:
        sock.close()
    assert answer.status == 200, answer  # the first answer whole, then the connection ends
    assert answer.closed
