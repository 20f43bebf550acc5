"""What the running gateway holds, reached via ``app.state.gateway``.

Its own module so the app (which builds it) and the dispatch layer (which reads it) both
import it, and neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from gateway.breaker import CircuitBreaker
from gateway.config import GatewaySettings
from gateway.metrics import GatewayMetrics
from gateway.openapi import OpenApiCache
from gateway.proxy import Proxy
from gateway.verifier import CachingTokenVerifier


@dataclass
class GatewayState:
    settings: GatewaySettings
    client: httpx.AsyncClient
    proxy: Proxy
    breakers: dict[str, CircuitBreaker]
    openapi: OpenApiCache
    metrics: GatewayMetrics
    verifier: CachingTokenVerifier
