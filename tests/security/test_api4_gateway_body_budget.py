"""API4: large request bodies held by the gateway are bounded, per process and per caller.

The gateway reads a body whole before it forwards it. Before the budget, a few dozen slow
20 MiB uploads by one signed-in user held hundreds of MiB of gateway memory. Now large bodies
(over the default limit) reserve their declared length from ``WEERBAAR_BODY_BUFFER_BYTES``
before a byte is read, one caller may have ``WEERBAAR_BODY_BUFFER_PER_CALLER`` of them in
flight, and report intake (bodies within the default limit) is not in that pool at all.

Here the budget is 6 MiB, the upload route's limit 4 MiB and the share per caller 2; slow
uploads declare 2 MiB, send 1 KiB and then nothing (the body-read timeout is 30 s, far
longer than the test needs, so they hold their reservation until the test lets go).
The reservations are read from the gateway's own Prometheus gauges on its metrics listener.
"""

from __future__ import annotations

import contextlib
import json
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import Backend, DevIdp
from tests.e2e.gateway_processes import GatewayProcess, start_gateway, start_meldingen
from tests.meldingen.conftest import melding_body
from tests.security.raw_http import connect, head, read_answer
from tests.support.processes import RunningProcess
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

MIB = 1024 * 1024
CREATE = "/api/meldingen/v1/meldingen"
BUDGET = 6 * MIB
DECLARED = 2 * MIB
# Longer than anything under test takes: an answer that has not come by then is not coming.
WITHIN = 20.0


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("api4-body-budget")


@pytest.fixture(scope="module")
def meldingen(sqlite_only: Backend, devidp: DevIdp, logs: Path) -> Iterator[RunningProcess]:
    process = start_meldingen(sqlite_only, devidp.issuer, logs)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def gw(devidp: DevIdp, meldingen: RunningProcess, logs: Path) -> Iterator[GatewayProcess]:
    process = start_gateway(
        logs,
        devidp.issuer,
        {"meldingen": meldingen.url},
        ready_path="/health/ready",
        rate_limits=json.dumps({"*": "1000/1000"}),
        body_read_timeout="30",
        body_buffer_bytes=str(BUDGET),
        body_buffer_per_caller="2",
        route_body_limits=f"{4 * MIB} POST ^/api/meldingen/v1/meldingen/[^/]+/bijlagen$",
    )
    yield process
    process.stop()


def _upload_path() -> str:
    return f"{CREATE}/{uuid.uuid4()}/bijlagen"


def _upload(port: int, token: str, declared: int = DECLARED, sent: bytes = b"") -> socket.socket:
    """An upload's head declaring `declared` bytes, then `sent` of them and nothing more."""
    sock = connect(port)
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "multipart/form-data; boundary=grens",
        "Content-Length": str(declared),
    }
    sock.sendall(head("POST", _upload_path(), port, headers) + sent)
    return sock


def _gauges(gw: GatewayProcess) -> dict[str, float]:
    text = httpx.get(gw.metrics_url, timeout=5).text
    values = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in ("gateway_body_buffer_bytes", "gateway_body_buffer_requests"):
            values[name] = float(value)
    return values


def _held(gw: GatewayProcess, size: int, requests: int) -> dict[str, float]:
    want = {"gateway_body_buffer_bytes": size, "gateway_body_buffer_requests": requests}
    return wait_until(
        lambda: _gauges(gw) == want and want,
        what=f"gauges {want}",
        describe=lambda: _gauges(gw),
        timeout=WITHIN,
    )


def _refused(sock: socket.socket, status: int) -> None:
    try:
        answer = read_answer(sock, WITHIN)
    finally:
        sock.close()
    assert answer.status == status, answer
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["status"] == status
    assert int(answer.headers["retry-after"]) >= 1
    assert answer.closed


def _close(sockets: list[socket.socket]) -> None:
    for sock in sockets:
        with contextlib.suppress(OSError):
            sock.close()


def test_slow_uploads_fill_the_budget_then_uploads_get_503_and_reporting_stays_up(
    gw: GatewayProcess, devidp: DevIdp
) -> None:
    slow = [
        _upload(gw.port, devidp.token(f"api4-budget-slow-{i}", ["melder"]), sent=b"-" * 1024)
        for i in range(3)
    ]
    try:
        _held(gw, 3 * DECLARED, 3)
        # Full: another user's upload is refused before it sends a byte of its body (a body
        # it waited for would be a 408 after 30 s, and this read gives up after 20 s) ...
        _refused(_upload(gw.port, devidp.token("api4-budget-late", ["melder"])), 503)
        # ... and so is the smallest body that counts as large.
        _refused(
            _upload(gw.port, devidp.token("api4-budget-late", ["melder"]), declared=MIB + 1), 503
        )
        with httpx.Client(base_url=gw.url, timeout=WITHIN) as http:
            victim = devidp.headers("api4-budget-victim", ["melder"])
            during = http.post(CREATE, json=melding_body(acuutGevaar=True), headers=victim)
            assert during.status_code == 201, during.text
        _held(gw, 3 * DECLARED, 3)  # the refusals reserved nothing
    finally:
        _close(slow)
    # Aborted uploads give their share back.
    _held(gw, 0, 0)
    # A whole upload is read and forwarded again: the service answers (there is no such
    # melding), and its share is given back once the answer is out.
    sock = _upload(gw.port, devidp.token("api4-budget-after", ["melder"]), sent=b"-" * DECLARED)
    try:
        answer = read_answer(sock, WITHIN)
    finally:
        sock.close()
    assert answer.status == 404, answer
    _held(gw, 0, 0)


def test_one_caller_gets_429_past_its_share_while_others_still_upload(
    gw: GatewayProcess, devidp: DevIdp
) -> None:
    greedy = devidp.token("api4-budget-greedy", ["melder"])
    mine = [_upload(gw.port, greedy, declared=MIB + 1) for _ in range(2)]
    others: list[socket.socket] = []
    try:
        _held(gw, 2 * (MIB + 1), 2)
        _refused(_upload(gw.port, greedy, declared=MIB + 1), 429)
        # Someone else's upload is taken in (its reservation shows) ...
        others.append(_upload(gw.port, devidp.token("api4-budget-other", ["melder"])))
        _held(gw, 2 * (MIB + 1) + DECLARED, 3)
        # ... and the greedy caller's reports, small bodies, are not in the pool at all.
        with httpx.Client(base_url=gw.url, timeout=WITHIN) as http:
            report = http.post(
                CREATE, json=melding_body(), headers={"Authorization": f"Bearer {greedy}"}
            )
            assert report.status_code == 201, report.text
    finally:
        _close(mine + others)
    _held(gw, 0, 0)


def test_a_body_longer_than_its_content_length_is_413(gw: GatewayProcess, devidp: DevIdp) -> None:
    """The declared body is a whole report; what follows it is no request but more body."""
    body = json.dumps(melding_body()).encode()
    headers = {
        "Authorization": f"Bearer {devidp.token('api4-budget-liar', ['melder'])}",
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
    }
    sock = connect(gw.port)
    try:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(head("POST", CREATE, gw.port, headers) + body + b"x" * 100_000)
        answer = read_answer(sock, WITHIN)
    finally:
        sock.close()
    assert answer.status == 413, answer
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["status"] == 413
    assert answer.closed
