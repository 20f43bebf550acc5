"""A response head goes out with its body in one write (services.common.serving.HeadWithBody).

Unit tests on a transport that records what it is asked to write, then the cases that depend
on the head being let go at the right moment, against a real process at the socket: a HEAD
answer (no body ever follows its head), pipelined requests, and 100 Continue (which must not
wait for anything).
"""

from __future__ import annotations

import re
import socket
import time

from services.common.serving import HeadWithBody
from tests.conftest import DevIdp
from tests.security.raw_http import connect, head

WITHIN = 10.0
HEAD_200 = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"


class RecordingTransport:
    """Stands in for the socket's transport: keeps each call in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, bytes]] = []

    def write(self, data: bytes) -> None:
        self.calls.append(("write", data))

    def writelines(self, parts: tuple[bytes, ...]) -> None:
        self.calls.append(("writelines", b"".join(parts)))

    def close(self) -> None:
        self.calls.append(("close", b""))

    def is_closing(self) -> bool:
        return False


def _held() -> tuple[HeadWithBody, RecordingTransport, list[str]]:
    transport = RecordingTransport()
    completed: list[str] = []
    held = HeadWithBody(transport, lambda: completed.append("done"))  # type: ignore[arg-type]
    return held, transport, completed


def test_the_head_goes_out_with_the_first_bytes_of_its_body() -> None:
    held, transport, _ = _held()
    held.write(HEAD_200)
    assert transport.calls == []
    held.write(b"{}")
    held.write(b"more")
    assert transport.calls == [("writelines", HEAD_200 + b"{}"), ("write", b"more")]


def test_a_head_without_a_body_goes_out_when_the_response_completes() -> None:
    held, transport, completed = _held()
    held.write(HEAD_200)
    held.response_complete()
    assert transport.calls == [("write", HEAD_200)]
    assert completed == ["done"]


def test_closing_lets_the_head_go_first() -> None:
    held, transport, _ = _held()
    held.write(HEAD_200)
    held.close()
    assert transport.calls == [("write", HEAD_200), ("close", b"")]


def test_100_continue_is_never_held() -> None:
    held, transport, _ = _held()
    held.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert transport.calls == [("write", b"HTTP/1.1 100 Continue\r\n\r\n")]
    held.write(HEAD_200)
    held.write(b"{}")
    assert transport.calls[-1] == ("writelines", HEAD_200 + b"{}")


def test_other_attributes_are_the_transports() -> None:
    held, _, _ = _held()
    assert held.is_closing() is False


def _read_until(sock: socket.socket, enough: bytes, count: int = 1) -> bytes:
    """What the server sent, until ``enough`` was seen ``count`` times or WITHIN passed."""
    deadline = time.monotonic() + WITHIN
    data = b""
    while data.count(enough) < count and time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        if not chunk:
            break
        data += chunk
    return data


def test_a_head_answer_arrives_though_no_body_follows(devidp: DevIdp) -> None:
    port = devidp.process.port
    sock = connect(port)
    try:
        sock.sendall(head("HEAD", "/health/live", port, {}))
        data = _read_until(sock, b"\r\n\r\n")
    finally:
        sock.close()
    # devidp's health answers HEAD with 405: a head that announces a body it never sends.
    assert data.startswith(b"HTTP/1.1 405"), data
    assert b"content-length: " in data.lower(), data
    assert data.endswith(b"\r\n\r\n"), data  # the head, and nothing after it


def test_pipelined_requests_are_answered_in_order(devidp: DevIdp) -> None:
    port = devidp.process.port
    sock = connect(port)
    try:
        sock.sendall(
            head("GET", "/health/live", port, {})
            + head("HEAD", "/health/live", port, {})
            + head("GET", "/nergens", port, {})
        )
        data = _read_until(sock, b"HTTP/1.1 ", 3)
        deadline = time.monotonic() + WITHIN  # the last answer's body may still be coming
        while not data.rstrip().endswith(b"}") and time.monotonic() < deadline:
            data += _read_until(sock, b"}")
    finally:
        sock.close()
    # An answer's status line follows the body before it directly: no line break between.
    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", data)
    assert statuses == [b"200", b"405", b"404"], data


def test_100_continue_comes_before_the_body_is_sent(devidp: DevIdp) -> None:
    port = devidp.process.port
    body = b'{"sub": "one-write", "roles": ["melder"], "org": "GM0363"}'
    sock = connect(port)
    try:
        sock.sendall(
            head(
                "POST",
                "/dev/token",
                port,
                {
                    "Content-Type": "application/json",
                    "Content-Length": str(len(body)),
                    "Expect": "100-continue",
                },
            )
        )
        interim = _read_until(sock, b"\r\n\r\n")
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n", interim
        sock.sendall(body)
        final = _read_until(sock, b"access_token")
    finally:
        sock.close()
    assert final.startswith(b"HTTP/1.1 200"), final
