"""The innermost ASGI layer: ``/api/<service>/...`` goes to the proxy, the rest to FastAPI.

Proxied requests skip FastAPI's routing and dependency machinery entirely
(it is the hot path); the gateway's own routes (health, metrics, the merged
document, the docs page) and unknown prefixes (404 problem+json) are
FastAPI's.
"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.breaker import CircuitOpen
from gateway.headers import forwarding_context
from gateway.proxy import BodyTooLarge, ClientBodyTimeout, UpstreamError
from gateway.routing import has_dot_segment, request_info, service_for
from services.common.logging import request_id_var
from services.common.middleware import send_problem

if TYPE_CHECKING:
    from gateway.app import GatewayState


class ProxyDispatch:
    def __init__(self, app: ASGIApp, *, services: frozenset[str]) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = service_for(scope["path"], self.services) if scope["type"] == "http" else None
        if service is None:
            await self.app(scope, receive, send)
            return
        if has_dot_segment(scope["path"]):
            await send_problem(send, 404)
            return
        state: GatewayState = scope["app"].state.gateway
        info = request_info(scope)
        peer = scope.get("client")
        context = forwarding_context(
            peer=peer[0] if peer else None,
            scheme=scope.get("scheme", "http"),
            headers=scope["headers"],
            trusted=state.settings.trusted_networks,
            prefix=state.settings.public_prefix,
            request_id=request_id_var.get() or str(uuid.uuid4()),
            server=scope.get("server"),
            public_base_url=state.settings.public_base_url,
            allowed_hosts=state.settings.allowed_host_names,
        )
        started = time.perf_counter()
        try:
            response = await state.proxy.forward(scope, receive, service, context)
        except (CircuitOpen, UpstreamError, BodyTooLarge, ClientBodyTimeout) as exc:
            if info is not None:
                info.upstream_seconds = time.perf_counter() - started
            await self._refuse(send, state, service, exc)
            return
        except ClientDisconnect:
            return
        if info is not None:
            info.upstream_seconds = time.perf_counter() - started
        await response(scope, receive, send)

    @staticmethod
    async def _refuse(
        send: Send,
        state: GatewayState,
        service: str,
        exc: CircuitOpen | UpstreamError | BodyTooLarge | ClientBodyTimeout,
    ) -> None:
        if isinstance(exc, CircuitOpen):
            state.metrics.upstream_failed(service, "circuit_open")
            await send_problem(
                send,
                503,
                detail="De dienst is tijdelijk onbereikbaar; probeer het later.",
                headers=[(b"retry-after", str(exc.retry_after).encode())],
            )
        elif isinstance(exc, UpstreamError):
            await send_problem(send, exc.status, detail=exc.detail)
        elif isinstance(exc, ClientBodyTimeout):
            # The rest of the body may still come: this connection cannot carry another request.
            await send_problem(
                send,
                408,
                detail="De body kwam niet op tijd binnen.",
                headers=[(b"connection", b"close")],
            )
        else:
            limit = exc.limit or state.settings.max_body_bytes
            await send_problem(send, 413, detail=f"De body is groter dan {limit} bytes.")
