"""The gateway's own ASGI middleware: observability, CORS and rate limits.

Order in the stack (outermost first, see :mod:`gateway.app`): request context
(common) → :class:`ObservabilityMiddleware` → :class:`CorsMiddleware` →
:class:`RateLimitMiddleware` → body size (common) → authentication (common)
→ routes and the proxy. So a preflight never needs a token, and a flood is
refused before any body is read. The rate limit verifies a presented token
itself (to know whose budget it is); the authentication after it finds the
token in the verifier's cache.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.config import GatewaySettings, Rate
from gateway.headers import client_ip
from gateway.metrics import GatewayMetrics
from gateway.ratelimit import RateLimiter, address_identity, bearer_token, subject_identity
from gateway.routing import SCOPE_KEY, RequestInfo, request_info, service_for
from services.common.auth import InvalidToken, TokenVerifier
from services.common.middleware import header, send_problem
from services.common.principal import Principal

access_logger = logging.getLogger("gateway.access")

OPEN_DOCUMENTS = re.compile(r"^/api/(openapi\.json|[a-z]+/v1/openapi\.json)$")
CORS_METHODS = b"GET, HEAD, POST, PUT, PATCH, DELETE"
CORS_HEADERS = frozenset(
    {
        "authorization",
        "content-type",
        "if-match",
        "if-none-match",
        "idempotency-key",
        "x-request-id",
    }
)
CORS_EXPOSE = (
    b"Location, ETag, API-Version, X-Request-ID, Retry-After, RateLimit-Limit, "
    b"RateLimit-Remaining, RateLimit-Reset, Server-Timing, Idempotent-Replayed"
)
AUTH_FAILURES_GROUP = "auth-failures"


class ObservabilityMiddleware:
    """Route group, metrics, ``Server-Timing`` and one JSON access line per request.

    The access line carries the request id (from the common context), the
    route group, the upstream, status and duration: no path, query string,
    token, body or address.
    """

    def __init__(self, app: ASGIApp, *, settings: GatewaySettings, metrics: GatewayMetrics) -> None:
        self.app = app
        self.settings = settings
        self.metrics = metrics
        self.services = frozenset(settings.upstreams)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        service = service_for(scope["path"], self.services)
        peer = scope.get("client")
        info = RequestInfo(
            route_group=self.settings.route_group(method, scope["path"], service),
            service=service,
            client_ip=client_ip(
                peer[0] if peer else None, scope["headers"], self.settings.trusted_networks
            ),
        )
        scope[SCOPE_KEY] = info
        status = 500
        own = 0.0

        async def timed_send(message: Message) -> None:
            nonlocal status, own
            if message["type"] == "http.response.start":
                status = message["status"]
                own = max(0.0, time.perf_counter() - info.started - info.upstream_seconds)
                timing = f"gateway;dur={own * 1000:.2f}"
                if info.upstream_seconds:
                    timing += f", upstream;dur={info.upstream_seconds * 1000:.2f}"
                message["headers"] = [
                    *message.get("headers", []),
                    (b"server-timing", timing.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        finally:
            elapsed = time.perf_counter() - info.started
            self.metrics.observe(info.route_group, method, status, elapsed, own)
            access_logger.info(
                "request",
                extra={
                    "method": method,
                    "route": info.route_group,
                    "upstream": info.service,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )


class MetricsListener:
    """``/metrics`` on the metrics listener only, and nothing else there.

    The counters show when reports are filed, so they are never on the public port:
    ``python -m gateway serve`` listens on a second socket (``WEERBAAR_METRICS_HOST``/
    ``WEERBAAR_METRICS_PORT``, loopback by default) and a request is told apart by the
    local port it arrived on. On the public port ``/metrics`` is a path like any unknown
    one (401 without a token, 404 with one).
    """

    def __init__(self, app: ASGIApp, *, port: int, metrics: GatewayMetrics) -> None:
        self.app = app
        self.port = port
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        server = scope.get("server") if scope["type"] == "http" else None
        if server is None or server[1] != self.port:
            await self.app(scope, receive, send)
            return
        if scope["path"] != "/metrics":
            await send_problem(send, 404)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await send_problem(send, 405, headers=[(b"allow", b"GET, HEAD")])
            return
        body = self.metrics.render()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", self.metrics.content_type.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )


class CorsMiddleware:
    """CORS from an allow-list; the OpenAPI documents for any origin; preflights end here."""

    def __init__(self, app: ASGIApp, *, origins: Sequence[str]) -> None:
        self.app = app
        self.origins = frozenset(o.rstrip("/") for o in origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        origin = header(scope, b"origin") if scope["type"] == "http" else None
        if origin is None:
            await self.app(scope, receive, send)
            return
        open_document = OPEN_DOCUMENTS.match(scope["path"]) is not None
        allowed = origin in self.origins or open_document
        allow_origin = b"*" if open_document and origin not in self.origins else origin.encode()
        preflight = scope["method"] == "OPTIONS" and header(scope, b"access-control-request-method")
        if preflight:
            if not allowed:
                await send_problem(send, 403, detail="Deze origin is niet toegestaan.")
                return
            requested = header(scope, b"access-control-request-headers") or ""
            headers = [h.strip().lower() for h in requested.split(",") if h.strip()]
            granted = ", ".join(h for h in headers if h in CORS_HEADERS)
            await send(
                {
                    "type": "http.response.start",
                    "status": 204,
                    "headers": [
                        (b"access-control-allow-origin", allow_origin),
                        (b"access-control-allow-methods", CORS_METHODS),
                        (b"access-control-allow-headers", granted.encode()),
                        (b"access-control-max-age", b"600"),
                        (b"vary", b"Origin"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return
        if not allowed:
            await self.app(scope, receive, send)
            return

        async def cors_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"access-control-allow-origin", allow_origin),
                    (b"access-control-expose-headers", CORS_EXPOSE),
                    (b"vary", b"Origin"),
                ]
            await send(message)

        await self.app(scope, receive, cors_send)


class RateLimitMiddleware:
    """Token buckets per caller and route group on ``/api``.

    Whose bucket: a bearer token is verified first (through the gateway's verifier, whose
    cache makes a token seen before cost one hash) and a token that verifies is charged to
    its subject. Anything else (no token, a token that does not verify) is charged to the
    sender's address: an unverified claim never decides whose budget is spent, so forged
    tokens naming someone cannot exhaust that person's budget.

    A token that fails verification also costs its sender's address a token from a small
    ``auth-failures`` bucket; an address that has spent it gets 429 for every token that
    does not verify, until the bucket refills. A token that verifies is let through from a
    locked-out address too: one person sending bad tokens from behind a NAT must not lock
    out their colleagues. That bucket is kept per replica, in memory: it costs no Redis
    round trip per request.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: GatewaySettings,
        limiter: RateLimiter,
        metrics: GatewayMetrics,
        verifier: TokenVerifier,
    ) -> None:
        self.app = app
        self.settings = settings
        self.limiter = limiter
        self.metrics = metrics
        self.verifier = verifier
        self.auth_failure_rate = settings.rate_for(AUTH_FAILURES_GROUP)
        self._backend_shown: str | None = None  # what the backend gauge says now

    async def _refuse(self, send: Send, group: str, headers: list[tuple[bytes, bytes]]) -> None:
        self.metrics.ratelimit_refusals.labels(route_group=group).inc()
        await send_problem(
            send, 429, detail="Te veel verzoeken; probeer het later.", headers=headers
        )

    async def _verified(self, token: str) -> Principal | None:
        try:
            return await self.verifier.verify(token)
        except InvalidToken:
            return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        info = request_info(scope)
        path: str = scope.get("path", "")
        if (
            info is None
            or not path.startswith("/api/")
            or path.startswith("/api/docs")
            or scope["method"] == "OPTIONS"
        ):
            await self.app(scope, receive, send)
            return
        token = bearer_token(header(scope, b"authorization"))
        principal = await self._verified(token) if token is not None else None
        unverified = token is not None and principal is None
        failures_key = f"{AUTH_FAILURES_GROUP}:{address_identity(info.client_ip)}"
        if unverified:
            failures = self.limiter.memory.take(failures_key, self.auth_failure_rate, cost=0)
            if failures.remaining < 1:
                await self._refuse(send, AUTH_FAILURES_GROUP, failures.headers(refused=True))
                return
        identity = subject_identity(principal) if principal else address_identity(info.client_ip)
        rate: Rate = self.settings.rate_for(info.route_group)
        decision = await self.limiter.take(identity, info.route_group, rate)
        if decision.backend != self._backend_shown:
            self._backend_shown = decision.backend
            self.metrics.ratelimit_backend.set(1 if decision.backend == "redis" else 0)
        if not decision.allowed:
            await self._refuse(send, info.route_group, decision.headers())
            return
        status = 0

        async def limited_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), *decision.headers()]
            await send(message)

        await self.app(scope, receive, limited_send)
        if status == 401 and unverified:
            self.limiter.memory.take(failures_key, self.auth_failure_rate)
