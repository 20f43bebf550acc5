"""What the app wires for attachments: the upload's own body rule and the scan worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from services.common.app_factory import ServiceState
from services.common.clamav import ClamdClient
from services.common.middleware import RouteBody
from services.meldingen.bijlage.ontvangst import MAX_BODY
from services.meldingen.bijlage.router import UPLOAD_PATH
from services.meldingen.bijlage.scanner import STATE_KEY, Scanner, running
from services.meldingen.config import MeldingenSettings

# The one route with a body over 1 MiB, and not JSON (the gateway has the same limit).
BIJLAGE_BODY = RouteBody.of(
    "POST", UPLOAD_PATH, max_bytes=MAX_BODY, media_types=("multipart/form-data",)
)


class ScannerRequired(RuntimeError):
    """Production serves no attachment that no virus scanner has seen."""


def require_scanner(settings: MeldingenSettings) -> None:
    if settings.is_production and not settings.clamav_url:
        raise ScannerRequired("refusing to start in production: WEERBAAR_CLAMAV_URL is required")


@asynccontextmanager
async def scanner_startup(state: ServiceState) -> AsyncIterator[None]:
    """Without WEERBAAR_CLAMAV_URL there is no worker: uploads are `niet_gescand`."""
    settings = state.settings
    assert isinstance(settings, MeldingenSettings)
    require_scanner(settings)
    if not settings.clamav_url:
        yield
        return
    scanner = Scanner(
        state.sessions,
        state.key_ring,
        ClamdClient(settings.clamav_url),
        backoff_max=settings.clamav_retry_max_seconds,
    )
    async with running(scanner):
        state.extras[STATE_KEY] = scanner
        yield
