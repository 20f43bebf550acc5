"""ASGI middleware for what must happen before FastAPI decodes a body.

Order of checks (DESIGN.md): body size (413) → authentication (401) → content type (415) →
malformed JSON (400); roles, reach and fields follow in the app. The request context wraps all of
them so every answer, errors included, carries the request id and the security headers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.common.auth import InvalidToken, TokenVerifier
from services.common.json_body import MalformedJson, decode_json_body
from services.common.logging import request_id_var
from services.common.problems import (
    MALFORMED_JSON_CODE,
    MALFORMED_JSON_TITLE,
    PROBLEM_MEDIA_TYPE,
    problem_body,
)

API_VERSION = "1.0.0"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"cache-control", b"no-store"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"api-version", API_VERSION.encode()),
)

access_logger = logging.getLogger("weerbaar.access")


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of the (lower-case) header ``name`` in an ASGI scope, or None."""
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def send_problem(
    send: Send,
    status: int,
    *,
    detail: str | None = None,
    headers: Iterable[tuple[bytes, bytes]] = (),
    code: str | None = None,
    title: str | None = None,
    instance: str | None = None,
) -> None:
    problem = problem_body(status, detail=detail, code=code, title=title, instance=instance)
    body = json.dumps(problem).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestContextMiddleware:
    """Request id (kept or made), API-Version, security headers and one access log line."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        extra_headers: Sequence[tuple[bytes, bytes]] = (),
        api_version: str = API_VERSION,
    ) -> None:
        self.app = app
        # Each service answers with its own contract version (meldingen is at 1.1.0).
        self.extra_headers = (
            *((k, v) for k, v in SECURITY_HEADERS if k != b"api-version"),
            (b"api-version", api_version.encode()),
            *extra_headers,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = header(scope, b"x-request-id")
        request_id = offered if offered and _REQUEST_ID.match(offered) else str(uuid.uuid4())
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_holder = {"status": 500}
        started_holder: list[bool] = []

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                started_holder.append(True)
                status_holder["status"] = message["status"]
                present = {key.lower() for key, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                for key, value in self.extra_headers:
                    if key not in present:
                        headers.append((key, value))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Starlette answers unhandled errors in ServerErrorMiddleware, outside this one, so
            # that answer would lack the request id and security headers: answer here instead.
            # Re-raised as before: the 500 handler still logs it and the server still sees it.
            if not started_holder:
                await send_problem(send_with_headers, 500)
            raise
        finally:
            route = scope.get("route")
            access_logger.info(
                "request",
                extra={
                    "method": scope.get("method"),
                    # The route template, never the raw path or query string.
                    "route": getattr(route, "path", None) or "unmatched",
                    "status": status_holder["status"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
            request_id_var.reset(token)


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


@dataclass(frozen=True)
class RouteBody:
    """A route whose body is not the default JSON under the default limit (e.g. an upload)."""

    methods: frozenset[str]
    pattern: re.Pattern[str]
    max_bytes: int
    media_types: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, methods: str, pattern: str, *, max_bytes: int, media_types: Iterable[str] = ()
    ) -> RouteBody:
        return cls(
            frozenset(methods.upper().split(",")),
            re.compile(pattern),
            max_bytes,
            frozenset(media_types),
        )

    @classmethod
    def parse(cls, spec: str) -> RouteBody:
        """``"<max bytes> <METHODS> <path regex>"``, as a setting spells it."""
        parts = spec.split(None, 2)
        if len(parts) != 3 or not parts[0].isdigit():
            raise ValueError(f"route body limit {spec!r}: expected MAX_BYTES METHODS REGEX")
        return cls.of(parts[1], parts[2], max_bytes=int(parts[0]))

    def matches(self, method: str, path: str) -> bool:
        return method in self.methods and self.pattern.fullmatch(path) is not None


def route_body(routes: Sequence[RouteBody], scope: Scope) -> RouteBody | None:
    method, path = scope.get("method", ""), scope.get("path", "")
    return next((route for route in routes if route.matches(method, path)), None)


def body_time_budget(total_timeout: float, max_bytes: int, default_max_bytes: int) -> float:
    """The whole body's time budget: ``total_timeout`` per default limit's worth of bytes.

    A route with a larger limit of its own (the 20 MiB upload) gets proportionally longer,
    so a slow mobile link can still deliver the evidence; the per-chunk timeout is what
    stops a stalled client either way.
    """
    return total_timeout * max(1.0, max_bytes / default_max_bytes)


class BodySizeLimitMiddleware:
    """413 for bodies over the limit (by Content-Length or while the body streams in); 408
    for a client that stalls while sending one.

    `routes` give single routes a limit of their own (uploads); every other keeps `max_bytes`.
    ``read_timeout`` bounds the wait for each chunk and ``total_timeout`` the whole body (see
    `body_time_budget`), so a client that declares a body and sends it slowly, or not at all,
    cannot hold a request (and whatever the app holds while reading it) open; ``None`` waits
    as long as it takes.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        routes: Sequence[RouteBody] = (),
        read_timeout: float | None = None,
        total_timeout: float | None = None,
    ) -> None:
        self.app = app
        self.default_max_bytes = max_bytes
        self.routes = tuple(routes)
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout

    def _deadline(self, max_bytes: int) -> float | None:
        if self.total_timeout is None:
            return None
        budget = body_time_budget(self.total_timeout, max_bytes, self.default_max_bytes)
        return time.monotonic() + budget

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        own = route_body(self.routes, scope)
        max_bytes = own.max_bytes if own is not None else self.default_max_bytes
        declared = header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
            await send_problem(send, 413, detail=_too_large(max_bytes))
            return
        if (declared is None or declared == "0") and header(scope, b"transfer-encoding") is None:
            # No body follows this head (RFC 9112 §6.3): nothing to count or time.
            await self.app(scope, receive, send)
            return
        guard = _BodyGuard(
            receive,
            send,
            max_bytes=max_bytes,
            read_timeout=self.read_timeout,
            deadline=self._deadline(max_bytes),
        )
        with contextlib.suppress(BodyTooLarge, BodyTooSlow):
            await self.app(scope, guard.receive, guard.send)
        await guard.send_refusal()


def _too_large(max_bytes: int) -> str:
    return f"De body is groter dan {max_bytes} bytes."


class _BodyGuard:
    """One request's body as the app reads it: counted, timed, and refused past the limits."""

    def __init__(
        self,
        receive: Receive,
        send: Send,
        *,
        max_bytes: int,
        read_timeout: float | None,
        deadline: float | None,
    ) -> None:
        self._receive = receive
        self._send = send
        self.max_bytes = max_bytes
        self.read_timeout = read_timeout
        self.deadline = deadline
        self.received = 0
        self.started = False
        self.refused: int | None = None
        self.body_done = False

    def _wait(self) -> float | None:
        waits = [w for w in (self.read_timeout,) if w is not None]
        if self.deadline is not None:
            waits.append(self.deadline - time.monotonic())
        return min(waits) if waits else None

    async def receive(self) -> Message:
        if self.body_done:
            return await self._receive()  # only a disconnect can come now: no deadline
        wait = self._wait()
        try:
            if wait is not None and wait <= 0:
                raise TimeoutError
            async with asyncio.timeout(wait):
                message = await self._receive()
        except TimeoutError:
            self.refused = 408
            raise BodyTooSlow from None
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.max_bytes:
                self.refused = 413
                raise BodyTooLarge
            self.body_done = not message.get("more_body", False)
        return message

    async def send(self, message: Message) -> None:
        if self.refused is not None:
            # FastAPI turns an error while reading the body into its own 400; a body over
            # the limit is 413 and a stalled one 408, whatever the app made of it.
            return
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)

    async def send_refusal(self) -> None:
        """The 413 or 408 for a refused body, unless the app had already started a response."""
        if self.started:
            return
        if self.refused == 413:
            await send_problem(self._send, 413, detail=_too_large(self.max_bytes))
        elif self.refused == 408:
            # The rest of the body may still arrive: the connection cannot carry another request.
            await send_problem(
                self._send,
                408,
                detail="De body kwam niet op tijd binnen.",
                headers=[(b"connection", b"close")],
            )


@dataclass(frozen=True)
class PublicRoute:
    """A route that needs no token; a token that is presented must still be valid."""

    methods: frozenset[str]
    pattern: re.Pattern[str]

    @classmethod
    def of(cls, methods: str, pattern: str) -> PublicRoute:
        return cls(frozenset(methods.upper().split(",")), re.compile(pattern))

    def matches(self, method: str, path: str) -> bool:
        # HEAD is GET without the body (services.common.head): public wherever GET is.
        allowed = method in self.methods or (method == "HEAD" and "GET" in self.methods)
        return allowed and self.pattern.fullmatch(path) is not None


DEFAULT_PUBLIC_ROUTES = (
    PublicRoute.of("GET,HEAD", r"/health/(live|ready)"),
    PublicRoute.of("GET,HEAD", r"/api/[a-z]+/v1/openapi\.json"),
)


class AuthenticationMiddleware:
    """401 before anything else reads the request; the principal goes into request.state."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        verifier: TokenVerifier,
        public_routes: Sequence[PublicRoute] = DEFAULT_PUBLIC_ROUTES,
    ) -> None:
        self.app = app
        self.verifier = verifier
        self.public_routes = tuple(public_routes)

    def _is_public(self, scope: Scope) -> bool:
        method, path = scope.get("method", "GET"), scope.get("path", "")
        return any(route.matches(method, path) for route in self.public_routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") == "OPTIONS":
            await self.app(scope, receive, send)
            return
        authorization = header(scope, b"authorization")
        principal = None
        if authorization is not None:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                await self._unauthorized(send, "invalid_request")
                return
            try:
                principal = await self.verifier.verify(token.strip())
            except InvalidToken as exc:
                await self._unauthorized(send, "invalid_token", exc.public_detail)
                return
        elif not self._is_public(scope):
            await self._unauthorized(send, None)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)

    @staticmethod
    async def _unauthorized(send: Send, error: str | None, detail: str | None = None) -> None:
        challenge = 'Bearer realm="weerbaar"'
        if error:
            challenge += f', error="{error}"'
        await send_problem(
            send,
            401,
            detail=detail or "Een geldig bearer-token is nodig.",
            headers=[(b"www-authenticate", challenge.encode())],
        )


class ContentTypeMiddleware:
    """415 for a body that is not JSON (or not a route's own media type) before decoding."""

    def __init__(self, app: ASGIApp, *, routes: Sequence[RouteBody] = ()) -> None:
        self.app = app
        self.routes = tuple(r for r in routes if r.media_types)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") in _BODY_METHODS:
            length = header(scope, b"content-length")
            has_body = (length is not None and length != "0") or (
                header(scope, b"transfer-encoding") is not None
            )
            media_type = media_type_of(scope)
            own = route_body(self.routes, scope)
            if own is not None:
                if has_body and media_type not in own.media_types:
                    expected = " of ".join(sorted(own.media_types))
                    await send_problem(send, 415, detail=f"Stuur de body als {expected}.")
                    return
                await self.app(scope, receive, send)
                return
            if has_body and not is_json_media_type(media_type) and _routed(scope):
                await send_problem(send, 415, detail="Stuur de body als application/json.")
                return
        await self.app(scope, receive, send)


def media_type_of(scope: Scope) -> str:
    return (header(scope, b"content-type") or "").split(";")[0].strip().lower()


def is_json_media_type(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


class JsonBodyMiddleware:
    """400 `ongeldige-json` for a JSON body the contract's decoder refuses (json_body.py).

    Here rather than in FastAPI, whose decoder is laxer and whose failures name the decoder's
    offset as a field or are a bare 400. The body is read whole (through the size limit, which
    sits outside) and handed on unchanged; FastAPI decodes it once more, which a body that
    passed here always survives.
    """

    def __init__(self, app: ASGIApp, *, routes: Sequence[RouteBody] = ()) -> None:
        self.app = app
        self.routes = tuple(r for r in routes if r.media_types)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") not in _BODY_METHODS
            or not is_json_media_type(media_type_of(scope))
            or route_body(self.routes, scope) is not None
        ):
            await self.app(scope, receive, send)
            return
        messages = await _receive_body(receive)
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        if body:
            try:
                decode_json_body(body)
            except MalformedJson as exc:
                if _routed(scope):  # else the app's 404 or 405 is the answer
                    await send_problem(
                        send,
                        400,
                        code=MALFORMED_JSON_CODE,
                        title=MALFORMED_JSON_TITLE,
                        detail=exc.detail,
                        instance=scope.get("path"),
                    )
                    return
        await self.app(scope, _replay(messages, receive), send)


async def _receive_body(receive: Receive) -> list[Message]:
    """The messages up to the body's last (or a disconnect)."""
    messages = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


def _routed(scope: Scope) -> bool:
    """Whether the app serves this method at this path. If not, its 404 or 405 (with Allow) is
    the answer: a body nobody would read has no wrong media type."""
    router = getattr(scope.get("app"), "router", None)
    if router is None:
        return True
    return any(route.matches(scope)[0] is Match.FULL for route in router.routes)
