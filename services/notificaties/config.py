"""Settings of the notificaties service."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator
from pydantic_settings import NoDecode

from services.common.settings import ServiceSettings

# DESIGN.md part D: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then `mislukt`.
DEFAULT_RETRY_SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)


def _csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class NotificatiesSettings(ServiceSettings):
    port: int = 8004

    nats_durable: str = "notificaties"
    # A message handed to a consumer that died unacked comes again after this long.
    nats_ack_wait_seconds: float = 30.0
    # Consumer and deliverer run in the service process unless split off (`consume`).
    worker: bool = True

    webhook_allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    webhook_retry_schedule: Annotated[list[float], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_RETRY_SCHEDULE)
    )
    webhook_timeout_seconds: float = 10.0
    webhook_max_response_bytes: int = 64 * 1024
    webhook_concurrency: int = Field(default=32, ge=1, le=1000)
    # A subscription's due deliveries go out back to back, this many per claim at most.
    webhook_batch_size: int = Field(default=100, ge=1, le=1000)
    # Kept-alive connections: per target (host, port, checked address), and targets kept.
    webhook_connections_per_target: int = Field(default=2, ge=1, le=16)
    webhook_pool_targets: int = Field(default=64, ge=1, le=1000)
    # A claimed delivery whose process died is taken again after this many seconds.
    webhook_lease_seconds: float = 60.0
    webhook_secret_overlap_seconds: float = 24 * 3600.0
    webhook_require_https: bool | None = None
    max_abonnementen_per_eigenaar: int = 25
    # Events, finished deliveries and their log are deleted after this long (storage bounded).
    bewaartermijn_seconden: float = 30 * 24 * 3600.0

    @model_validator(mode="before")
    @classmethod
    def _split(cls, data: object) -> object:
        if isinstance(data, dict):
            for key in ("webhook_allowed_hosts", "webhook_retry_schedule"):
                if key in data:
                    data[key] = _csv(data[key])
        return data

    @model_validator(mode="after")
    def _lease_outlives_timeout(self) -> NotificatiesSettings:
        if self.webhook_lease_seconds <= self.webhook_timeout_seconds:
            raise ValueError("WEERBAAR_WEBHOOK_LEASE_SECONDS must exceed the webhook timeout")
        if any(delay < 0 for delay in self.webhook_retry_schedule):
            raise ValueError("WEERBAAR_WEBHOOK_RETRY_SCHEDULE holds a negative delay")
        return self

    @property
    def https_required(self) -> bool:
        # Production always; elsewhere only when asked (local receivers speak http).
        return self.is_production or bool(self.webhook_require_https)

    @property
    def allowed_hosts(self) -> frozenset[str]:
        return frozenset(host.lower().strip("[]") for host in self.webhook_allowed_hosts)
