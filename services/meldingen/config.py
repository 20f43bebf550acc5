"""Settings of the meldingen service."""

from __future__ import annotations

from pydantic import Field

from services.common.settings import ServiceSettings


class MeldingenSettings(ServiceSettings):
    port: int = 8001
    idempotency_hours: int = Field(default=24, ge=1, le=168)
    meldingen_bewaartermijn_dagen: int = Field(default=730, ge=30)
    statistiek_drempel: int = Field(default=5, ge=3)
