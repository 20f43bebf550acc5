"""Settings of the kennisbank service."""

from __future__ import annotations

from services.common.settings import CommonSettings


class KennisbankSettings(CommonSettings):
    port: int = 8003
