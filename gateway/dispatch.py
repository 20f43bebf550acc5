"""The innermost ASGI layer: ``/api/<service>/...`` goes to the proxy, the rest to FastAPI.

Proxied requests skip FastAPI's routing and dependency machinery entirely
(it is the hot path); the gateway's own routes (health, metrics, the merged
document, the docs page) and unknown prefixes (404 problem+json) are
FastAPI's.
"""

from __future__ import annotations

import time
import uuid

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.bodybudget import RETRY_AFTER_SECONDS, BodyBudgetFull, CallerBusy
from gateway.breaker import CircuitOpen
from gateway.headers import forwarding_context
from gateway.proxy import BodyTooLarge, BodyTooSlow, UpstreamError
from gateway.routing import has_dot_segment, request_info, service_for
from gateway.state import GatewayState
from services.common.logging import request_id_var
from services.common.middleware import send_problem

Refusal = CircuitOpen | UpstreamError | BodyTooLarge | BodyTooSlow | BodyBudgetFull | CallerBusy
REFUSALS = (CircuitOpen, UpstreamError, BodyTooLarge, BodyTooSlow, BodyBudgetFull, CallerBusy)

# The body was not read (or not all of it): this connection cannot carry another request.
CLOSE = (b"connection", b"close")
RETRY_LATER = (b"retry-after", str(RETRY_AFTER_SECONDS).encode())


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
            known_client_ip=info.client_ip if info is not None else None,
        )
        started = time.perf_counter()
        try:
            response = await state.proxy.forward(scope, receive, service, context)
        except REFUSALS as exc:
            if info is not None:
                info.upstream_seconds = time.perf_counter() - started
            await _refuse(send, scope, state, service, exc)
            return
        except ClientDisconnect:
            return
        if info is not None:
            info.upstream_seconds = time.perf_counter() - started
        await response(scope, receive, send)


async def _refuse(
    send: Send, scope: Scope, state: GatewayState, service: str, exc: Refusal
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
    elif isinstance(exc, BodyTooSlow):
        # The rest of the body may still come: this connection cannot carry another request.
        await send_problem(send, 408, detail="De body kwam niet op tijd binnen.", headers=[CLOSE])
    elif isinstance(exc, CallerBusy):
        await send_problem(
            send,
            429,
            detail="U verstuurt al te veel grote bestanden tegelijk; probeer het straks.",
            headers=[RETRY_LATER, CLOSE],
        )
    elif isinstance(exc, BodyBudgetFull):
        await send_problem(
            send,
            503,
            detail="De gateway ontvangt nu te veel grote bestanden; probeer het straks.",
            headers=[RETRY_LATER, CLOSE],
        )
    else:
        limit = state.settings.max_body_for(scope["method"], scope["path"])
        await send_problem(send, 413, detail=f"De body is groter dan {limit} bytes.")
