"""Forwarding one request to one upstream, streaming in both directions.

The gateway makes a single :class:`httpx.AsyncClient` in its lifespan (see
:func:`make_client`) and every request reuses its pool. The request body is
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
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import httpx
from starlette.requests import ClientDisconnect
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

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


@dataclass(slots=True)
class UpstreamError(Exception):
    """An upstream could not answer; carries the status and detail the client gets."""

    status: int
    detail: str


# What each failure of the client stack becomes: (kind for metrics, status, detail).
_CONNECT = ("connect", 502, "De dienst is niet bereikbaar.")
_TIMEOUT = ("timeout", 504, "De dienst antwoordde niet op tijd.")
_PROTOCOL = ("protocol", 502, "De dienst gaf een ongeldig antwoord.")


class UpstreamClient(httpx.AsyncClient):
    """The shared client, its transport (the pool) at hand for the proxy.

    The proxy hands its requests to the transport itself: with no auth, no redirects
    followed, no cookies kept and no event hooks, ``AsyncClient.send`` adds nothing to them
    but its own bookkeeping (about a tenth of the client's CPU per request, py-spy). Its
    other users (health checks, the OpenAPI documents) use the client as usual.
    """

    def __init__(self, transport: httpx.AsyncHTTPTransport, **kwargs: Any) -> None:
        super().__init__(transport=transport, **kwargs)
        self.transport = transport


def make_client(settings: GatewaySettings) -> UpstreamClient:
    """The one client for all upstreams: explicit pool limits and timeouts, no cookies."""
    limits = httpx.Limits(
        max_connections=settings.upstream_max_connections,
        # As large as the pool: a smaller keep-alive pool closes connections under load.
        max_keepalive_connections=settings.upstream_max_connections,
        keepalive_expiry=settings.upstream_keepalive_expiry,
    )
    return UpstreamClient(
        httpx.AsyncHTTPTransport(limits=limits, trust_env=False),
        timeout=upstream_timeout(settings),
        follow_redirects=False,
        trust_env=False,
        cookies=http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[])),
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
    """Streams the upstream body; the upstream response is closed however this ends."""

    def __init__(
        self,
        upstream: httpx.Response,
        headers: list[tuple[bytes, bytes]],
        on_done: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(upstream.aiter_raw(), status_code=upstream.status_code)
        self.raw_headers = headers
        self._upstream = upstream
        self._on_done = on_done

    def _small(self) -> bool:
        length = self._upstream.headers.get("content-length")
        return length is not None and length.isdigit() and int(length) <= BUFFER_LIMIT

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            if self._small():
                body = b"".join([chunk async for chunk in self._upstream.aiter_raw()])
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
            await self._upstream.aclose()
            if self._on_done is not None:
                self._on_done()


class Proxy:
    """Sends requests to the configured services through the shared client."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: GatewaySettings,
        breakers: dict[str, CircuitBreaker],
        on_upstream_error: Callable[[str, str], None] | None = None,
        budget: BodyBudget | None = None,
    ) -> None:
        self.client = client
        self._send_one: Callable[[httpx.Request], Awaitable[httpx.Response]] = (
            client.transport.handle_async_request
            if isinstance(client, UpstreamClient)
            else partial(client.send, stream=True, follow_redirects=False)
        )
        self.settings = settings
        self.breakers = breakers
        self.budget = budget or BodyBudget(
            settings.body_buffer_bytes, settings.body_buffer_per_caller
        )
        self._on_error = on_upstream_error
        self._bases = {name: httpx.URL(url) for name, url in settings.upstreams.items()}
        self._timeouts = {
            name: (upstream_timeout(settings, name).as_dict(), settings.timeouts_for(name).total)
            for name in settings.upstreams
        }
        self._identity = tuple(
            p.lower().encode("latin-1") for p in settings.identity_header_prefixes
        )

    def upstream_url(self, service: str, raw_path: bytes, query: bytes) -> httpx.URL:
        target = raw_path + (b"?" + query if query else b"")
        return self._bases[service].copy_with(raw_path=target)

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
            request = httpx.Request(
                method, url, headers=headers, content=body, extensions={"timeout": timeout}
            )
            response = await self._send(service, request, total)
        except BaseException:
            if release is not None:
                release()
            raise
        return UpstreamResponse(
            response, downstream_response_headers(response.headers.raw), on_done=release
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

    async def _send(self, service: str, request: httpx.Request, total: float) -> httpx.Response:
        """One attempt, or more for an idempotent method whose connection failed."""
        breaker = self.breakers.get(service)
        attempts = 1 + (self.settings.upstream_retries if request.method in IDEMPOTENT else 0)
        for attempt in range(1, attempts + 1):
            if breaker is not None:
                breaker.before_call()
            try:
                async with asyncio.timeout(total):
                    response = await self._send_one(request)
            except (httpx.ConnectError, httpx.RemoteProtocolError) as exc:
                if attempt < attempts:  # the body is in memory: safe to send again
                    self._failed(breaker, service, _CONNECT[0])
                    logger.info(
                        "retrying %s %s after %s", request.method, service, type(exc).__name__
                    )
                    continue
                raise self._error(breaker, service, _CONNECT) from exc
            except (httpx.TimeoutException, TimeoutError) as exc:
                raise self._error(breaker, service, _TIMEOUT) from exc
            except httpx.HTTPError as exc:
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
    "UpstreamClient",
    "UpstreamError",
    "UpstreamResponse",
    "make_client",
]
