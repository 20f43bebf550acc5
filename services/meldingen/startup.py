"""What the meldingen process runs beside its routes: the attachment scanner and escalation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from services.common.app_factory import ServiceState
from services.meldingen.bijlage.startup import scanner_startup
from services.meldingen.config import MeldingenSettings
from services.meldingen.termijn.scheduler import Escalatie, running

ESCALATIE_KEY = "escalatie"


@asynccontextmanager
async def startup(state: ServiceState) -> AsyncIterator[None]:
    settings = state.settings
    assert isinstance(settings, MeldingenSettings)
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(scanner_startup(state))
        if settings.escalatie_interval_seconds > 0:
            # The sessions carry the outbox info (app_factory), so a claim's commit wakes the
            # relay at once, like any other change.
            escalatie = Escalatie(state.sessions, settings.escalatie_interval_seconds)
            await stack.enter_async_context(running(escalatie))
            state.extras[ESCALATIE_KEY] = escalatie
        yield
