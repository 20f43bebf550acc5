"""Settings of the beveiliging service."""

from __future__ import annotations

from services.common.settings import ServiceSettings


class BeveiligingSettings(ServiceSettings):
    port: int = 8002
    """Port the beveiliging service listens on."""
