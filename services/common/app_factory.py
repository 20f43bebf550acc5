"""The plumbing every service app shares: middleware, problem handlers, OpenAPI, health.

A service's app.py calls `create_service_app` with its routers and its own lifespan work;
everything here is domain-free.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
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
from services.common.health import health_router
from services.common.logging import configure_logging
from services.common.middleware import (
    DEFAULT_PUBLIC_ROUTES,
    AuthenticationMiddleware,
    BodySizeLimitMiddleware,
    ContentTypeMiddleware,
    PublicRoute,
    RequestContextMiddleware,
)
from services.common.openapi import build_openapi
from services.common.openapi_links import add_links
from services.common.problems import install_problem_handlers
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

    @property
    def base_path(self) -> str:
        return f"/api/{self.name}/v1"


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
            if startup is not None:
                async with startup(state):
                    yield
            else:
                yield
        finally:
            await engine.dispose()
            await verifier.jwks.aclose()

    app = FastAPI(
        title=spec.title,
        description=spec.description,
        version="1.0.0",
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

    app.add_middleware(ContentTypeMiddleware)
    app.add_middleware(AuthenticationMiddleware, verifier=verifier, public_routes=public_routes)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "Idempotency-Key",
                "X-Request-ID",
            ],
            expose_headers=["Location", "ETag", "API-Version", "X-Request-ID"],
        )
    app.add_middleware(RequestContextMiddleware)
    return app


def _install_openapi(app: FastAPI, spec: ServiceSpec, public_routes: Sequence[PublicRoute]) -> None:
    cache: dict[str, Any] = {}

    def document() -> dict[str, Any]:
        if "doc" not in cache:
            public = {
                (method.lower(), str(getattr(route, "path", "")))
                for route in app.routes
                for method in getattr(route, "methods", set()) or set()
                if any(p.matches(method, str(getattr(route, "path", ""))) for p in public_routes)
            }
            cache["doc"] = build_openapi(
                app,
                title=spec.title,
                description=spec.description,
                base_path=spec.base_path,
                public_operations=public,
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
