"""Forwarding one request to one upstream, streaming in both directions.

The gateway makes one :class:`aiohttp.ClientSession` in its lifespan (see
:func:`make_session`) and every proxied request reuses its pool; its own calls
(health, the OpenAPI documents) use an :class:`httpx.AsyncClient` (see
:func:`make_client`). Why two: httpcore's pool checks every pooled connection
with a ``select`` call for each request it hands out, so its CPU per request
grows with the pool (1.1 ms per request at 16 connections against 0.1 ms for
aiohttp, which learns of closed connections from the event loop and parses with
C; ``benchmarks/upstream_client.py``). The request body is
read whole first (bounded in size and time, see :func:`read_body`; large
bodies within a per-process budget, see :mod:`gateway.bodybudget`); the
response is streamed back and the upstream response is closed when the
client goes away. Failures become :class:`UpstreamError` with the status
DESIGN.md gives them: refused 502, timeout 504, circuit open 503.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import importlib.util
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import aiohttp
import httpx
from multidict import CIMultiDict
from starlette.requests import ClientDisconnect
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send
from yarl import URL

from gateway.bodybudget import BodyBudget, Reservation
from gateway.breaker import CircuitBreaker, CircuitOpen
from gateway.config import GatewaySettings
from gateway.headers import ForwardingContext, downstream_response_headers, upstream_request_headers
from gateway.ratelimit import address_identity, subject_identity
from services.common.middleware import BodyTooLarge, BodyTooSlow, body_time_budget
from services.common.principal import Principal

logger = logging.getLogger("gateway.proxy")

# httpcore runs `import sniffio` for every lock it sets up. anyio 4.16 no longer brings
# sniffio, so each request paid for failed imports searching the disk (~15% of the
# gateway's CPU under load, py-spy). A None entry makes that import fail at once;
# httpcore then assumes asyncio, which is what it concluded anyway.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

# Bodies up to this size with a declared length are read whole and sent in one message:
# no per-response task group listening for a disconnect. Larger or unsized ones stream.
BUFFER_LIMIT = 64 * 1024

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


@dataclass(frozen=True, slots=True)
class UpstreamRequest:
    """One request for an upstream, ready to send again on a retry (the body is in memory)."""

    method: str
    url: URL
    headers: CIMultiDict[str]
    body: bytes | None
    timeout: aiohttp.ClientTimeout


@dataclass(slots=True)
class UpstreamError(Exception):
    """An upstream could not answer; carries the status and detail the client gets."""

    status: int
    detail: str


# What each failure of the client stack becomes: (kind for metrics, status, detail).
_CONNECT = ("connect", 502, "De dienst is niet bereikbaar.")
_TIMEOUT = ("timeout", 504, "De dienst antwoordde niet op tijd.")
_PROTOCOL = ("protocol", 502, "De dienst gaf een ongeldig antwoord.")


def make_client(settings: GatewaySettings) -> httpx.AsyncClient:
    """The gateway's own client (health checks, OpenAPI documents): no cookies, no redirects."""
    limits = httpx.Limits(
        max_connections=settings.upstream_max_connections,
        max_keepalive_connections=settings.upstream_max_connections,
        keepalive_expiry=settings.upstream_keepalive_expiry,
    )
    return httpx.AsyncClient(
        transport=httpx.AsyncHTTPTransport(limits=limits, trust_env=False),
        timeout=upstream_timeout(settings),
        follow_redirects=False,
        trust_env=False,
        cookies=http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[])),
    )


# aiohttp would add these when absent; the proxy sends what the client sent, nothing more.
NOT_ADDED = ("User-Agent", "Accept", "Accept-Encoding")
# An upstream's response head: the services' own heads are far smaller than this.
MAX_UPSTREAM_FIELD = 64 * 1024


def make_session(settings: GatewaySettings) -> aiohttp.ClientSession:
    """The proxy's client, made inside the running loop: a pool per upstream, bytes as sent.

    No cookies, no redirects (per request), no decompression (the body passes as the
    service sent it), no environment proxies.
    """
    connector = aiohttp.TCPConnector(
        limit=0,  # the number of upstreams is fixed by configuration; the per-host limit binds
        limit_per_host=settings.upstream_max_connections,
        keepalive_timeout=settings.upstream_keepalive_expiry,
    )
    session = aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),
        skip_auto_headers=NOT_ADDED,
        auto_decompress=False,
        trust_env=False,
        requote_redirect_url=False,
        max_line_size=MAX_UPSTREAM_FIELD,
        max_field_size=MAX_UPSTREAM_FIELD,
        timeout=aiohttp.ClientTimeout(total=None),  # per request, see Proxy._timeouts
    )
    # aiohttp resends an idempotent request once on its own when the connection fails; the
    # retries are WEERBAAR_UPSTREAM_RETRIES' to decide (and the breaker's to count), so off.
    # No public switch exists; tests/e2e/test_gateway_resilience.py counts the attempts.
    session._retry_connection = False
    return session


def session_timeout(settings: GatewaySettings, service: str) -> aiohttp.ClientTimeout:
    """aiohttp's ``connect`` covers the wait for a pooled connection and the connect itself.

    ``sock_read`` runs from the moment the request is sent and again after every chunk
    read, so it bounds the send of the (in-memory) body too; ``total`` is the proxy's own.
    """
    own = settings.timeouts_for(service)
    return aiohttp.ClientTimeout(
        total=None, connect=own.pool + own.connect, sock_connect=own.connect, sock_read=own.read
    )


def upstream_timeout(settings: GatewaySettings, service: str = "") -> httpx.Timeout:
    own = settings.timeouts_for(service)
    return httpx.Timeout(connect=own.connect, read=own.read, write=own.write, pool=own.pool)


async def read_body(
    receive: Receive,
    *,
    limit: int,
    chunk_timeout: float,
    total_timeout: float,
    on_progress: Callable[[int], None] | None = None,
) -> bytes:
    """The client's whole body, before any upstream is involved.

    Bounded in size (``limit``), in the wait for each chunk (``chunk_timeout``) and in
    all (``total_timeout``). Reading it whole first means a slow or stalled client holds
    gateway memory (at most ``limit``), never an upstream connection, never counts against
    the upstream's timeouts and can never be the breaker's half-open probe. A stall is
    :class:`BodyTooSlow` (the client's 408), a body over ``limit`` :class:`BodyTooLarge`;
    ``on_progress`` hears the bytes received so far after each chunk (and may refuse).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + total_timeout
    chunks: list[bytes] = []
    received = 0
    while True:
        wait = min(chunk_timeout, deadline - loop.time())
        if wait <= 0:
            raise BodyTooSlow()
        try:
            async with asyncio.timeout(wait):
                message = await receive()
        except TimeoutError:
            raise BodyTooSlow() from None
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk: bytes = message.get("body", b"")
        received += len(chunk)
        if received > limit:
            raise BodyTooLarge()
        if on_progress is not None:
            on_progress(received)
        if chunk:
            chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _has_body(headers: Sequence[tuple[bytes, bytes]]) -> tuple[bool, int | None]:
    length: int | None = None
    chunked = False
    for name, value in headers:
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                length = None
        elif name == b"transfer-encoding":
            chunked = True
    return (chunked or bool(length)), length


class UpstreamResponse(StreamingResponse):
    """Streams the upstream body; the upstream response is released however this ends.

    Released with its body unread (the client went away), aiohttp closes the connection
    instead of pooling it, so a half-read response never meets the next request.
    """

    def __init__(
        self,
        upstream: aiohttp.ClientResponse,
        headers: list[tuple[bytes, bytes]],
        on_done: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(upstream.content.iter_any(), status_code=upstream.status)
        self.raw_headers = headers
        self._upstream = upstream
        self._on_done = on_done

    def _small(self) -> bool:
        length = self._upstream.headers.get("content-length")
        return length is not None and length.isdigit() and int(length) <= BUFFER_LIMIT

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            if self._small():
                body = await self._upstream.read()
                await send(
                    {
                        "type": "http.response.start",
                        "status": self.status_code,
                        "headers": self.raw_headers,
                    }
                )
                await send({"type": "http.response.body", "body": body})
            else:
                await super().__call__(scope, receive, send)
        finally:
            self._upstream.release()
            if self._on_done is not None:
                self._on_done()


def _text(value: bytes) -> str:
    """A header value for aiohttp, which writes heads as UTF-8: ASCII and UTF-8 pass unchanged.

    (Other bytes, obs-text in RFC 9110, go as their Latin-1 characters in UTF-8.)
    """
    try:
        return value.decode()
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _request_target(raw_path: bytes, query: bytes) -> str:
    """The path and query as the client sent them; bytes outside ASCII percent-encoded."""
    target = raw_path + (b"?" + query if query else b"")
    if target.isascii():
        return target.decode("ascii")
    return "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in target)


class Proxy:
    """Sends requests to the configured services through the shared client."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        settings: GatewaySettings,
        breakers: dict[str, CircuitBreaker],
        on_upstream_error: Callable[[str, str], None] | None = None,
        budget: BodyBudget | None = None,
    ) -> None:
        self.session = session
        self.settings = settings
        self.breakers = breakers
        self.budget = budget or BodyBudget(
            settings.body_buffer_bytes, settings.body_buffer_per_caller
        )
        self._on_error = on_upstream_error
        # The configured URL's origin: the client's path replaces any path it has.
        self._origins = {name: str(URL(url).origin()) for name, url in settings.upstreams.items()}
        self._timeouts = {
            name: (session_timeout(settings, name), settings.timeouts_for(name).total)
            for name in settings.upstreams
        }
        self._identity = tuple(
            p.lower().encode("latin-1") for p in settings.identity_header_prefixes
        )

    def upstream_url(self, service: str, raw_path: bytes, query: bytes) -> URL:
        # encoded=True: yarl sends the target as it is, never re-quoting or normalising it.
        return URL(self._origins[service] + _request_target(raw_path, query), encoded=True)

    async def forward(
        self, scope: Scope, receive: Receive, service: str, context: ForwardingContext
    ) -> UpstreamResponse:
        """Send the request upstream and return the response to stream back."""
        method: str = scope["method"]
        headers = upstream_request_headers(scope["headers"], context, self._identity)
        body, reservation = await self._body(scope, receive, context)
        release = reservation.release if reservation is not None else None
        try:
            url = self.upstream_url(
                service, scope.get("raw_path") or scope["path"].encode(), scope["query_string"]
            )
            timeout, total = self._timeouts[service]
            request = UpstreamRequest(
                method,
                url,
                CIMultiDict((name.decode("latin-1"), _text(value)) for name, value in headers),
                body,
                timeout,
            )
            response = await self._send(service, request, total)
        except BaseException:
            if release is not None:
                release()
            raise
        return UpstreamResponse(
            response, downstream_response_headers(response.raw_headers), on_done=release
        )

    async def _body(
        self, scope: Scope, receive: Receive, context: ForwardingContext
    ) -> tuple[bytes | None, Reservation | None]:
        """The client's body (None without one) and, for a large body, its reservation.

        Everything that can refuse the body does so before a byte of it is read: over the
        route's limit by ``Content-Length`` (413), the caller's share of large bodies in
        flight (429) or the process's budget for them (503).
        """
        has_body, length = _has_body(scope["headers"])
        if not has_body:
            return None, None
        max_body = self.settings.max_body_for(scope["method"], scope["path"])  # uploads: own
        if length is not None and length > max_body:
            raise BodyTooLarge()
        default = self.settings.max_body_bytes
        large = length > default if length is not None else max_body > default
        reservation = self.budget.reserve(_caller(scope, context), length or 0) if large else None
        try:
            body = await read_body(
                receive,
                limit=max_body,
                chunk_timeout=self.settings.body_read_timeout,
                total_timeout=body_time_budget(self.settings.body_total_timeout, max_body, default),
                on_progress=reservation.grow if reservation is not None else None,
            )
        except BaseException:
            if reservation is not None:
                reservation.release()
            raise
        return body, reservation

    async def _send_one(self, request: UpstreamRequest) -> aiohttp.ClientResponse:
        return await self.session.request(
            request.method,
            request.url,
            headers=request.headers,
            data=request.body,
            allow_redirects=False,
            timeout=request.timeout,
        )

    async def _send(
        self, service: str, request: UpstreamRequest, total: float
    ) -> aiohttp.ClientResponse:
        """One attempt, or more for an idempotent method whose connection failed."""
        breaker = self.breakers.get(service)
        attempts = 1 + (self.settings.upstream_retries if request.method in IDEMPOTENT else 0)
        for attempt in range(1, attempts + 1):
            if breaker is not None:
                breaker.before_call()
            try:
                async with asyncio.timeout(total):
                    response = await self._send_one(request)
            except TimeoutError as exc:  # aiohttp's own timeouts are TimeoutErrors too
                raise self._error(breaker, service, _TIMEOUT) from exc
            except (aiohttp.ClientConnectorError, aiohttp.ServerDisconnectedError) as exc:
                if attempt < attempts:  # the body is in memory: safe to send again
                    self._failed(breaker, service, _CONNECT[0])
                    logger.info(
                        "retrying %s %s after %s", request.method, service, type(exc).__name__
                    )
                    continue
                raise self._error(breaker, service, _CONNECT) from exc
            except aiohttp.ClientError as exc:  # reset mid-exchange, or an answer that is not HTTP
                raise self._error(breaker, service, _PROTOCOL) from exc
            except Exception:
                # e.g. the request was cancelled: no verdict on the upstream.
                if breaker is not None:
                    breaker.release_probe()
                raise
            if breaker is not None:
                breaker.record_success()
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _error(
        self, breaker: CircuitBreaker | None, service: str, failure: tuple[str, int, str]
    ) -> UpstreamError:
        kind, status, detail = failure
        self._failed(breaker, service, kind)
        return UpstreamError(status, detail)

    def _failed(self, breaker: CircuitBreaker | None, service: str, kind: str) -> None:
        if breaker is not None:
            breaker.record_failure()
        if self._on_error is not None:
            self._on_error(service, kind)


def _caller(scope: Scope, context: ForwardingContext) -> str:
    """Whose share of the large-body budget: the verified subject, else the address."""
    principal = scope.get("state", {}).get("principal")
    if isinstance(principal, Principal):
        return subject_identity(principal)
    return address_identity(context.client_ip)


__all__ = [
    "BodyTooLarge",
    "BodyTooSlow",
    "CircuitOpen",
    "Proxy",
    "UpstreamError",
    "UpstreamResponse",
    "make_client",
    "make_session",
]
