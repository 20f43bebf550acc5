"""Settings of the kennisbank service."""

from __future__ import annotations

from services.common.settings import ServiceSettings


class KennisbankSettings(ServiceSettings):
    port: int = 8003
    """Port the kennisbank service listens on."""
