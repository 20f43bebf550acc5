"""create_app(): the gateway's lifespan, routes and middleware stack — nothing else."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.responses import JSONResponse

from gateway.bodybudget import BodyBudget
from gateway.breaker import CircuitBreaker
from gateway.config import GatewaySettings
from gateway.dispatch import ProxyDispatch
from gateway.docs import docs_router
from gateway.metrics import GatewayMetrics
from gateway.middleware import (
    CorsMiddleware,
    MetricsListener,
    ObservabilityMiddleware,
    RateLimitMiddleware,
)
from gateway.openapi import OpenApiCache
from gateway.proxy import Proxy, make_client, make_session
from gateway.ratelimit import RateLimiter
from gateway.state import GatewayState
from gateway.verifier import CachingTokenVerifier
from services.common.head import HeadAsGetMiddleware
from services.common.health import health_router
from services.common.logging import FASTAPI_TELEMETRY_OFF, configure_logging
from services.common.middleware import (
    AuthenticationMiddleware,
    BodySizeLimitMiddleware,
    PublicRoute,
    RequestContextMiddleware,
)
from services.common.problems import install_problem_handlers
from services.common.settings import CommonSettings

logger = logging.getLogger("gateway")


async def _upstream_health(state: GatewayState, service: str, url: str) -> dict[str, str]:
    circuit = state.breakers[service].state.name.lower()
    try:
        response = await state.client.get(f"{url}/health/ready", timeout=1.0)
    except httpx.HTTPError as exc:
        return {"status": "down", "circuit": circuit, "error": type(exc).__name__}
    if response.status_code == 200:
        state.openapi.note_service_up(service)
        return {"status": "up", "circuit": circuit}
    return {"status": "unready", "circuit": circuit}


def _public_routes(settings: GatewaySettings) -> list[PublicRoute]:
    return [PublicRoute(p.methods, p.pattern) for p in settings.public_patterns]


def create_app(
    settings: GatewaySettings | None = None, common: CommonSettings | None = None
) -> FastAPI:
    settings = settings or GatewaySettings()
    common = common or CommonSettings()
    configure_logging("gateway", settings.log_level)
    # The gateway writes its own access line (with the route group); the common one would repeat it.
    logging.getLogger("weerbaar.access").disabled = True
    verifier = CachingTokenVerifier(common, ttl=settings.token_cache_seconds)
    metrics = GatewayMetrics()
    limiter = RateLimiter.from_url(settings.redis_url, retry_seconds=settings.redis_retry_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        client = make_client(settings)
        breakers = {
            name: CircuitBreaker(
                name,
                failure_threshold=settings.breaker_failure_threshold,
                open_seconds=settings.breaker_open_seconds,
                on_change=metrics.breaker_changed,
            )
            for name in settings.upstreams
        }
        for name in breakers:
            metrics.breaker_state.labels(upstream=name).set(0)
        app.state.gateway = GatewayState(
            settings=settings,
            client=client,
            proxy=Proxy(
                make_session(settings),
                settings,
                breakers,
                on_upstream_error=metrics.upstream_failed,
                budget=BodyBudget(
                    settings.body_buffer_bytes, settings.body_buffer_per_caller, metrics
                ),
            ),
            breakers=breakers,
            openapi=OpenApiCache(
                client,
                settings.upstreams,
                issuer=common.oidc_issuer,
                server_url=settings.link_prefix or "/",
                refresh_seconds=settings.openapi_refresh_seconds,
            ),
            metrics=metrics,
            verifier=verifier,
        )
        await verifier.jwks.refresh(force=True)
        try:
            yield
        finally:
            await app.state.gateway.proxy.session.close()
            await client.aclose()
            await limiter.aclose()
            await verifier.jwks.aclose()

    app = FastAPI(
        telemetry=FASTAPI_TELEMETRY_OFF,
        title="Weerbaar Bestuur gateway",
        version="1.0.0",
        lifespan=lifespan,
        redirect_slashes=False,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    install_problem_handlers(app)

    async def ready_check() -> dict[str, Any]:
        state: GatewayState = app.state.gateway
        names = list(settings.upstreams)
        results = await asyncio.gather(
            *(_upstream_health(state, n, settings.upstreams[n]) for n in names)
        )
        ok = verifier.ready
        return {
            "status": "ok" if ok else "unavailable",
            "tokens": "ok" if ok else "unavailable",
            "upstreams": dict(zip(names, results, strict=True)),
        }

    app.include_router(health_router(ready_check))
    app.include_router(docs_router(settings.link_prefix))

    @app.get("/api/openapi.json", include_in_schema=False)
    async def merged_openapi() -> JSONResponse:
        state: GatewayState = app.state.gateway
        return JSONResponse(await state.openapi.document())

    # The gateway's own routes answer HEAD as GET; a proxied HEAD goes upstream as HEAD, so
    # the service answers it and no body crosses the wire to be dropped here.
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(ProxyDispatch, services=frozenset(settings.upstreams))
    app.add_middleware(
        AuthenticationMiddleware, verifier=verifier, public_routes=_public_routes(settings)
    )
    app.add_middleware(
        BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes, routes=settings.body_limits
    )
    if settings.rate_limit_enabled:
        app.add_middleware(
            RateLimitMiddleware,
            settings=settings,
            limiter=limiter,
            metrics=metrics,
            verifier=verifier,
        )
    app.add_middleware(CorsMiddleware, origins=settings.cors_origins)
    app.add_middleware(ObservabilityMiddleware, settings=settings, metrics=metrics)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(MetricsListener, port=settings.metrics_port, metrics=metrics)
    return app
