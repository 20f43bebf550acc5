"""Settings of the beveiliging service."""

from __future__ import annotations

from services.common.settings import CommonSettings


class BeveiligingSettings(CommonSettings):
    port: int = 8002
