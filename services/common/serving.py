"""The HTTP server every process runs: uvicorn's httptools protocol with limits on the head.

uvicorn bounds neither the size nor the number of request header fields under httptools (h11
has a size limit only), and it has no timeout for a request head that never completes: a
client could hold memory (an 8 MB header, 2,000 fields) or a connection (a head sent one byte
at a time, or nothing after connecting) for as long as it likes. This subclass adds the three
limits (``WEERBAAR_MAX_HEADER_BYTES``, ``WEERBAAR_MAX_HEADERS``, ``WEERBAAR_HEADER_READ_TIMEOUT``)
and answers 431 or 408 as problem+json before closing the connection; everything after the
head is uvicorn's own code path. The limits come from the environment (read once per
process), so ``--workers`` processes get them too.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from services.common.problems import PROBLEM_MEDIA_TYPE, problem_body


@dataclass(frozen=True, slots=True)
class HeadLimits:
    max_bytes: int
    max_fields: int
    timeout: float


@cache
def head_limits() -> HeadLimits:
    """The limits from the environment, read once per process."""
    from services.common.settings import CommonSettings

    settings = CommonSettings()
    return HeadLimits(
        max_bytes=settings.max_header_bytes,
        max_fields=settings.max_headers,
        timeout=settings.header_read_timeout,
    )


class _HeadRefused(Exception):
    pass


class HeadWithBody:
    """A request cycle's transport: the response head waits for its body's first bytes.

    uvicorn writes the head when the app starts its response and the body when the app
    sends it, two writes (two system calls, two segments on the wire) for what is nearly
    always one small answer. This holds the head until the next write and sends both with
    one ``writelines``; it is let go when the response completes (a HEAD answer, an empty
    body) or the connection closes. A 100 Continue is never held. Everything else is the
    real transport's.
    """

    __slots__ = ("_head", "_held", "_on_response", "_transport")

    def __init__(self, transport: asyncio.Transport, on_response: Callable[[], None]) -> None:
        self._transport = transport
        self._head: bytes | None = None
        self._held = False  # the head was held once: every later write goes straight out
        self._on_response = on_response

    def write(self, data: bytes) -> None:
        head = self._head
        if head is not None:
            self._head = None
            self._transport.writelines((head, data))
        elif not self._held and data[9:10] != b"1":  # "HTTP/1.1 1xx" is interim: not held
            self._held = True
            self._head = data
        else:
            self._transport.write(data)

    def flush(self) -> None:
        head = self._head
        if head is not None:
            self._head = None
            self._transport.write(head)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def response_complete(self) -> None:
        self.flush()
        self._on_response()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def problem_bytes(status: int, detail: str) -> bytes:
    """A whole problem+json answer that closes the connection, for the protocol to write."""
    body = json.dumps(problem_body(status, detail=detail)).encode()
    return b"".join(
        [
            STATUS_LINE[status],
            b"content-type: " + PROBLEM_MEDIA_TYPE.encode() + b"\r\n",
            b"content-length: " + str(len(body)).encode() + b"\r\n",
            b"connection: close\r\n\r\n",
            body,
        ]
    )


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """Head size (bytes of the request line and fields), field count and time to send it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = head_limits()
        self._head_timer: asyncio.TimerHandle | None = None
        self._in_head = False
        self._head_bytes = 0  # what was fed while the head was incomplete
        self._field_bytes = 0  # exact: request target plus names and values
        self._fields = 0
        self._refused = False
        self._refused_head = False  # a field callback went over a limit

    # The timer runs from the connection (or the first byte of a later request on it) until
    # the head is complete; between requests uvicorn's keep-alive timeout applies.
    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.limits.timeout, self._head_timed_out)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():
            return
        if self._in_head:
            self._refuse(408, "De request-headers kwamen niet op tijd binnen.")
        elif self.cycle is None:
            self.transport.close()  # connected and said nothing

    def _refuse(self, status: int, detail: str) -> None:
        self._refused = True
        self._disarm()
        if self.cycle is not None and not self.cycle.response_complete:
            # A pipelined head went wrong while the answer to the request before it is still
            # going out: nothing may be written in between. Close once that answer is done.
            self.cycle.keep_alive = False
            self.flow.pause_reading()
            return
        self.transport.write(problem_bytes(status, detail))
        self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            if self._refused_head:
                self._refuse(431, "De request-headers zijn te groot of te talrijk.")
                return
            self.logger.warning("Invalid HTTP request received.")
            self.send_400_response("Invalid HTTP request received.")
            return
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        if self._in_head:
            # One field still arriving (the parser holds it until it ends): bound it too.
            # The read that began the head may also hold the end of a pipelined request before
            # it; that can only over-count, by less than one read.
            self._head_bytes += len(data)
            if self._head_bytes > self.limits.max_bytes:
                self._refuse(431, "De request-headers zijn te groot of te talrijk.")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._head_bytes = self._field_bytes = self._fields = 0
        self._arm()

    def _count(self, size: int, field: bool) -> None:
        self._field_bytes += size
        self._fields += field
        if self._field_bytes > self.limits.max_bytes or self._fields > self.limits.max_fields:
            self._refused_head = True
            raise _HeadRefused  # the parser stops and raises HttpParserCallbackError

    def on_url(self, url: bytes) -> None:
        self._count(len(url), False)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4, True)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._disarm()
        super().on_headers_complete()
        cycle = self.cycle
        if cycle is not None:
            # Its task has not run yet (it starts on the loop's next turn): safe to swap.
            held = HeadWithBody(self.transport, cycle.on_response)
            cycle.transport = held  # type: ignore[assignment]
            cycle.on_response = held.response_complete
