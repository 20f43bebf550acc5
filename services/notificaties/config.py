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
    """Port the notificaties service listens on."""

    nats_durable: str = "notificaties"
    """Name of the durable JetStream consumer the service reads events with."""
    nats_ack_wait_seconds: float = 30.0
    """A message handed to a consumer that died unacknowledged comes again after this many
    seconds."""
    worker: bool = True
    """Run the consumer and deliverer in the service process; false when `consume` runs apart."""

    webhook_allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Host names a webhook may point at even when they resolve to a private or loopback address
    (local receivers), comma-separated; every other host must resolve to public addresses
    only."""
    webhook_retry_schedule: Annotated[list[float], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_RETRY_SCHEDULE)
    )
    """Seconds between delivery attempts, comma-separated; after the last a delivery is
    `mislukt`."""
    webhook_timeout_seconds: float = 10.0
    """Seconds one webhook call may take."""
    webhook_max_response_bytes: int = 64 * 1024
    """Most bytes of a receiver's answer that are read."""
    webhook_concurrency: int = Field(default=32, ge=1, le=1000)
    """Subscriptions whose webhook calls are in flight at once, in one process."""
    webhook_batch_size: int = Field(default=100, ge=1, le=1000)
    """A subscription's due deliveries go out back to back, this many per claim at most."""
    webhook_connections_per_target: int = Field(default=2, ge=1, le=16)
    """Kept-alive connections per subscription and target (host, port, checked address)."""
    webhook_pool_targets: int = Field(default=64, ge=1, le=1000)
    """Pools (one per subscription and target) whose kept-alive connections are kept at
    once."""
    webhook_breaker_threshold: int = Field(default=3, ge=1, le=100)
    """Attempts in a row not delivered (timeout, connection error, any answer but 2xx) after
    which a subscription's breaker opens: its events then wait behind one probe per interval
    of the retry schedule, so a dead or slow receiver holds one delivery slot at most and
    only now and then. Three: one lost connection or restarting receiver does not open it,
    and a receiver that holds every request costs three time limits before it is held back."""
    webhook_lease_seconds: float = 60.0
    """A claimed delivery whose process died is taken again after this many seconds; must exceed
    the webhook timeout."""
    webhook_secret_overlap_seconds: float = 24 * 3600.0
    """Seconds the previous signing secret stays valid after a rotation."""
    webhook_require_https: bool | None = None
    """Refuse `http` webhook URLs; production always does, elsewhere only when true."""
    max_abonnementen_per_eigenaar: int = 25
    """Most subscriptions one owner may have."""
    bewaartermijn_seconden: float = 30 * 24 * 3600.0
    """Events, finished deliveries and their log are deleted after this many seconds."""

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
