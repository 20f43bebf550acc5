"""Settings of the meldingen service."""

from __future__ import annotations

from functools import cached_property

from pydantic import Field, field_validator

from services.common.settings import ServiceSettings
from services.meldingen.termijn.service import (
    DEFAULT_REACTIETERMIJNEN,
    Termijn,
    parse_reactietermijnen,
)


class MeldingenSettings(ServiceSettings):
    port: int = 8001
    idempotency_hours: int = Field(default=24, ge=1, le=168)
    meldingen_bewaartermijn_dagen: int = Field(default=730, ge=30)
    statistiek_drempel: int = Field(default=5, ge=3)
    # Respond-by time per prioriteit: ISO 8601 clock time (PT1H) or working days (3w).
    reactietermijnen: str = DEFAULT_REACTIETERMIJNEN

    @field_validator("reactietermijnen")
    @classmethod
    def _valid_reactietermijnen(cls, value: str) -> str:
        parse_reactietermijnen(value)  # refuses to start with a clear message
        return value

    @cached_property
    def termijnen(self) -> dict[str, Termijn]:
        return parse_reactietermijnen(self.reactietermijnen)
