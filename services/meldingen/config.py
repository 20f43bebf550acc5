"""Settings of the meldingen service."""

from __future__ import annotations

from functools import cached_property

from pydantic import Field, field_validator, model_validator

from services.common.clamav import ClamdAddress
from services.common.settings import ServiceSettings
from services.meldingen.termijn.service import (
    DEFAULT_REACTIETERMIJNEN,
    Termijn,
    parse_reactietermijnen,
)


class MeldingenSettings(ServiceSettings):
    port: int = 8001
    """Port the meldingen service listens on."""
    idempotency_hours: int = Field(default=24, ge=1, le=168)
    """Hours an `Idempotency-Key` and its answer are kept."""
    meldingen_bewaartermijn_dagen: int = Field(default=730, ge=30)
    """Age in days after which `retention` anonymises a melding: free text, notes, registration
    numbers and subjects removed, structured fields kept."""
    statistiek_drempel: int = Field(default=5, ge=3)
    """Smallest count the statistics show; smaller groups are suppressed so nobody can be singled
    out."""
    reactietermijnen: str = DEFAULT_REACTIETERMIJNEN
    """Respond-by time per prioriteit: ISO 8601 clock time (`PT1H`) or working days (`3w`)."""
    escalatie_interval_seconds: float = Field(default=60.0, ge=0, le=86_400)
    """How often each service process looks for missed deadlines (0: never; then run
    `python -m services.meldingen escalate` from a CronJob). Exactly once either way."""
    bijlagen_mib_per_dag: int = Field(default=1024, ge=20)
    """MiB of attachments one person (`sub`) may add in any 24 hours; beyond it 429. At least one
    file's maximum (20 MiB)."""
    clamav_url: str | None = None
    """clamd for attachment scans, `tcp://host:3310` or `unix:///path`; unset: attachments stay
    `niet_gescand`. Required to `serve` in production."""
    clamav_retry_max_seconds: float = Field(default=30.0, gt=0, le=600)
    """Longest wait between scan attempts while clamd is unreachable (exponential backoff up to
    it)."""

    @field_validator("reactietermijnen")
    @classmethod
    def _valid_reactietermijnen(cls, value: str) -> str:
        parse_reactietermijnen(value)  # refuses to start with a clear message
        return value

    @cached_property
    def termijnen(self) -> dict[str, Termijn]:
        return parse_reactietermijnen(self.reactietermijnen)

    @model_validator(mode="after")
    def _clamav_address(self) -> MeldingenSettings:
        # Required for `serve` in production (bijlage/startup.py); migrate and retention
        # run without it.
        if self.clamav_url:
            ClamdAddress.parse(self.clamav_url)
        return self
