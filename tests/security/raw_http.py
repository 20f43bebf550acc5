"""HTTP/1.1 at the socket, for attacks a client library will not make (stalled bodies,
incomplete heads, oversized headers): send exact bytes, read one answer within a deadline."""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass
from typing import Any


@dataclass
class RawAnswer:
    status: int | None  # None: the server closed without answering
    headers: dict[str, str]
    body: bytes
    closed: bool  # the server closed the connection after (or instead of) answering

    def json(self) -> Any:
        return json.loads(self.body)


def connect(port: int, timeout: float = 5.0) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def head(
    method: str, path: str, port: int, headers: dict[str, str] | list[tuple[str, str]]
) -> bytes:
    items = headers.items() if isinstance(headers, dict) else headers
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in items]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def read_answer(sock: socket.socket, within: float) -> RawAnswer:
    """One response, or what the server did instead, waiting at most `within` seconds."""
    deadline = time.monotonic() + within
    data = b""
    closed = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        except (ConnectionResetError, BrokenPipeError):
            closed = True
            break
        if not chunk:
            closed = True
            break
        data += chunk
        parsed = _parse(data)
        if parsed is not None:
            status, headers, body = parsed
            return RawAnswer(status, headers, body, closed or _closed_soon(sock))
    parsed = _parse(data, complete=closed)
    if parsed is None:
        return RawAnswer(None, {}, data, closed)
    status, headers, body = parsed
    return RawAnswer(status, headers, body, closed)


def _closed_soon(sock: socket.socket) -> bool:
    sock.settimeout(2.0)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


def _parse(data: bytes, complete: bool = False) -> tuple[int, dict[str, str], bytes] | None:
    head_end = data.find(b"\r\n\r\n")
    if head_end < 0:
        return None
    lines = data[:head_end].decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = data[head_end + 4 :]
    length = headers.get("content-length")
    if length is not None and len(body) >= int(length):
        return status, headers, body[: int(length)]
    if length is None and complete:
        return status, headers, body
    return None
