"""`/health/live` (the process answers) and `/health/ready` (it can do its work)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

ReadinessCheck = Callable[[], Awaitable[dict[str, Any]]]


def health_router(ready_check: ReadinessCheck) -> APIRouter:
    """`ready_check` returns the body; its `status` is `ok` when ready."""
    router = APIRouter(include_in_schema=False)

    @router.get("/health/live")
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/health/ready")
    async def ready() -> JSONResponse:
        body = await ready_check()
        return JSONResponse(body, status_code=200 if body.get("status") == "ok" else 503)

    return router
