"""The plumbing every service app shares: middleware, problem handlers, OpenAPI, health.

A service's app.py calls `create_service_app` with its routers and its own lifespan work;
everything here is domain-free.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request

from services.common.auth import TokenVerifier
from services.common.crypto import KeyRing, load_key_ring
from services.common.db import (
    DatabaseTarget,
    create_engine_for,
    database_ready,
    database_target,
    session_factory,
)
from services.common.head import HeadAsGetMiddleware
from services.common.health import health_router
from services.common.logging import FASTAPI_TELEMETRY_OFF, configure_logging
from services.common.middleware import (
    API_VERSION,
    DEFAULT_PUBLIC_ROUTES,
    AuthenticationMiddleware,
    BodySizeLimitMiddleware,
    ContentTypeMiddleware,
    JsonBodyMiddleware,
    PublicRoute,
    RequestContextMiddleware,
    RouteBody,
)
from services.common.openapi import build_openapi
from services.common.openapi_links import add_links
from services.common.outbox import outbox_session_info
from services.common.paths import api_base
from services.common.problems import install_problem_handlers
from services.common.relay import OutboxRelay, running_relay
from services.common.settings import ServiceSettings


@dataclass
class ServiceState:
    """What a running service holds: reached from request handlers via `request.app.state`."""

    settings: ServiceSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    key_ring: KeyRing
    verifier: TokenVerifier
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    schema: str
    title: str
    description: str
    routers: Sequence[APIRouter]
    public_routes: Sequence[PublicRoute] = ()
    version: str = API_VERSION  # the contract version: info.version and the API-Version header
    # Routes whose body has its own limit and media types (uploads); all others: JSON, 1 MiB.
    route_bodies: Sequence[RouteBody] = ()
    outbox: Table | None = None  # the service's `uitgaande_gebeurtenis`: the relay runs here

    @property
    def base_path(self) -> str:
        return api_base(self.name)


StartupHook = Callable[[ServiceState], AbstractAsyncContextManager[None]]


def create_service_app(
    spec: ServiceSpec,
    settings: ServiceSettings,
    *,
    target: DatabaseTarget | None = None,
    startup: StartupHook | None = None,
) -> FastAPI:
    configure_logging(spec.name, settings.log_level)
    key_ring = load_key_ring(settings)  # fail at start, not at the first request
    verifier = TokenVerifier(settings)
    db_target = target or database_target(settings, service=spec.name, schema=spec.schema)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine_for(db_target, pool_size=settings.db_pool_size)
        state = ServiceState(settings, engine, session_factory(engine), key_ring, verifier)
        app.state.service = state
        await verifier.jwks.warm_up()
        try:
            async with AsyncExitStack() as stack:
                if spec.outbox is not None:
                    await stack.enter_async_context(_outbox(spec, spec.outbox, state))
                if startup is not None:
                    await stack.enter_async_context(startup(state))
                yield
        finally:
            await engine.dispose()
            await verifier.jwks.aclose()

    app = FastAPI(
        telemetry=FASTAPI_TELEMETRY_OFF,
        title=spec.title,
        description=spec.description,
        version=spec.version,
        lifespan=lifespan,
        redirect_slashes=False,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    install_problem_handlers(app)
    for router in spec.routers:
        app.include_router(router)

    async def ready_check() -> dict[str, Any]:
        state: ServiceState = app.state.service
        ok = await database_ready(state.engine)
        return {"status": "ok" if ok else "unavailable", "database": "ok" if ok else "down"}

    app.include_router(health_router(ready_check))
    public_routes = (*DEFAULT_PUBLIC_ROUTES, *spec.public_routes)
    _install_openapi(app, spec, public_routes)

    app.add_middleware(JsonBodyMiddleware, routes=spec.route_bodies)
    app.add_middleware(ContentTypeMiddleware, routes=spec.route_bodies)
    app.add_middleware(AuthenticationMiddleware, verifier=verifier, public_routes=public_routes)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        routes=spec.route_bodies,
        read_timeout=settings.body_read_timeout,
        total_timeout=settings.body_total_timeout,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "Idempotency-Key",
                "X-Request-ID",
            ],
            expose_headers=["Location", "ETag", "API-Version", "X-Request-ID"],
        )
    # Inside the request context (its access line says HEAD), outside everything else: a HEAD
    # is authenticated, limited and answered exactly as the GET it stands for.
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(RequestContextMiddleware, api_version=spec.version)
    return app


@asynccontextmanager
async def _outbox(spec: ServiceSpec, table: Table, state: ServiceState) -> AsyncIterator[None]:
    """Sessions learn the public base (for `dataref`) and wake the in-process relay on commit."""
    # In process, the commit wakes the relay directly; a relay run apart needs the commit's
    # NOTIFY (PostgreSQL), which costs every committing transaction (benchmarks/outbox.py).
    relay = OutboxRelay(spec.name, table, state.sessions, state.settings)
    run_here = state.settings.outbox_relay
    notify = state.settings.outbox_notify
    notify = not run_here if notify is None else notify
    state.sessions.configure(
        info=outbox_session_info(
            public_base_url=state.settings.event_base_url,
            wakeup=relay.wake if run_here else None,
            notify=notify,
        )
    )
    state.extras["relay"] = relay
    if not run_here:
        yield
        return
    async with running_relay(relay):
        yield


def _install_openapi(app: FastAPI, spec: ServiceSpec, public_routes: Sequence[PublicRoute]) -> None:
    cache: dict[str, Any] = {}

    def document() -> dict[str, Any]:
        if "doc" not in cache:
            cache["doc"] = build_openapi(
                app,
                title=spec.title,
                description=spec.description,
                base_path=spec.base_path,
                # Judged on the document's own paths: FastAPI includes routers lazily, so
                # app.routes no longer lists every route with its path.
                is_public=lambda method, path: any(
                    p.matches(method.upper(), path) for p in public_routes
                ),
                version=spec.version,
            )
            add_links(cache["doc"])
        doc: dict[str, Any] = cache["doc"]
        return doc

    app.openapi = document  # type: ignore[method-assign]

    @app.get(f"{spec.base_path}/openapi.json", include_in_schema=False)
    async def openapi_document(_request: Request) -> JSONResponse:
        # Readable from any origin without a token (DESIGN.md).
        return JSONResponse(document(), headers={"Access-Control-Allow-Origin": "*"})


def service_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state
