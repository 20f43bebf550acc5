"""Forwarding one request to one upstream, streaming in both directions.

The gateway makes a single :class:`httpx.AsyncClient` in its lifespan (see
:func:`make_client`) and every request reuses its pool. The request body is
read whole first (bounded in size and time, see :func:`read_body`); the
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

import httpx
from starlette.requests import ClientDisconnect
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from gateway.breaker import CircuitBreaker, CircuitOpen
from gateway.config import GatewaySettings
from gateway.headers import ForwardingContext, downstream_response_headers, upstream_request_headers
from services.common.middleware import body_time_budget

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


class BodyTooLarge(Exception):
    """The client's body passed the limit while it was being streamed."""

    def __init__(self, limit: int | None = None) -> None:
        super().__init__(limit)
        self.limit = limit


@dataclass(slots=True)
class UpstreamError(Exception):
    """An upstream could not answer; carries the status the client gets."""

    status: int
    kind: str
    upstream: str
    detail: str
    retry_after: int | None = None


def make_client(settings: GatewaySettings) -> httpx.AsyncClient:
    """The one client for all upstreams: explicit pool limits and timeouts, no cookies."""
    limits = httpx.Limits(
        max_connections=settings.upstream_max_connections,
        # As large as the pool: a smaller keep-alive pool closes connections under load.
        max_keepalive_connections=settings.upstream_max_connections,
        keepalive_expiry=settings.upstream_keepalive_expiry,
    )
    client = httpx.AsyncClient(
        limits=limits,
        timeout=upstream_timeout(settings),
        follow_redirects=False,
        trust_env=False,
        cookies=http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[])),
    )
    return client


def upstream_timeout(settings: GatewaySettings, service: str = "") -> httpx.Timeout:
    own = settings.timeouts_for(service)
    return httpx.Timeout(connect=own.connect, read=own.read, write=own.write, pool=own.pool)


class ClientBodyTimeout(Exception):
    """The client stalled while sending its body: its failure (408), never the upstream's."""


async def read_body(
    receive: Receive, *, limit: int, chunk_timeout: float, total_timeout: float
) -> bytes:
    """The client's whole body, before any upstream is involved.

    Bounded in size (``limit``), in the wait for each chunk (``chunk_timeout``) and in
    all (``total_timeout``). Reading it whole first means a slow or stalled client holds
    gateway memory (at most ``limit``), never an upstream connection, never counts against
    the upstream's timeouts and can never be the breaker's half-open probe.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + total_timeout
    chunks: list[bytes] = []
    received = 0
    while True:
        wait = min(chunk_timeout, deadline - loop.time())
        if wait <= 0:
            raise ClientBodyTimeout()
        try:
            async with asyncio.timeout(wait):
                message = await receive()
        except TimeoutError:
            raise ClientBodyTimeout() from None
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunk: bytes = message.get("body", b"")
        received += len(chunk)
        if received > limit:
            raise BodyTooLarge(limit)
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
    ) -> None:
        self.client = client
        self.settings = settings
        self.breakers = breakers
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
        client_headers: list[tuple[bytes, bytes]] = list(scope["headers"])
        headers = upstream_request_headers(client_headers, context, self._identity)
        has_body, length = _has_body(client_headers)
        max_body = self.settings.max_body_for(method, scope["path"])  # uploads: their own
        if length is not None and length > max_body:
            raise BodyTooLarge(max_body)
        body = (
            await read_body(
                receive,
                limit=max_body,
                chunk_timeout=self.settings.body_read_timeout,
                total_timeout=body_time_budget(
                    self.settings.body_total_timeout, max_body, self.settings.max_body_bytes
                ),
            )
            if has_body
            else None
        )
        url = self.upstream_url(
            service, scope.get("raw_path") or scope["path"].encode(), scope["query_string"]
        )
        timeout, total = self._timeouts[service]
        request = httpx.Request(
            method, url, headers=headers, content=body, extensions={"timeout": timeout}
        )
        breaker = self.breakers.get(service)
        attempts = 1 + (self.settings.upstream_retries if method in IDEMPOTENT else 0)
        for attempt in range(1, attempts + 1):
            if breaker is not None:
                breaker.before_call()
            try:
                async with asyncio.timeout(total):
                    response = await self.client.send(request, stream=True, follow_redirects=False)
            except (httpx.ConnectError, httpx.RemoteProtocolError) as exc:
                self._failed(breaker, service, "connect")
                if attempt < attempts:  # the body is in memory: safe to send again
                    logger.info("retrying %s %s after %s", method, service, type(exc).__name__)
                    continue
                raise UpstreamError(
                    502, "connect", service, "De dienst is niet bereikbaar."
                ) from exc
            except (httpx.TimeoutException, TimeoutError) as exc:
                self._failed(breaker, service, "timeout")
                raise UpstreamError(
                    504, "timeout", service, "De dienst antwoordde niet op tijd."
                ) from exc
            except httpx.HTTPError as exc:
                self._failed(breaker, service, "protocol")
                raise UpstreamError(
                    502, "protocol", service, "De dienst gaf een ongeldig antwoord."
                ) from exc
            except Exception:
                # e.g. the request was cancelled: no verdict on the upstream.
                if breaker is not None:
                    breaker.release_probe()
                raise
            if breaker is not None:
                breaker.record_success()
            return UpstreamResponse(response, downstream_response_headers(response.headers.raw))
        raise AssertionError("unreachable")  # pragma: no cover

    def _failed(self, breaker: CircuitBreaker | None, service: str, kind: str) -> None:
        if breaker is not None:
            breaker.record_failure()
        if self._on_error is not None:
            self._on_error(service, kind)


__all__ = [
    "BodyTooLarge",
    "CircuitOpen",
    "ClientBodyTimeout",
    "Proxy",
    "UpstreamError",
    "UpstreamResponse",
    "make_client",
]
