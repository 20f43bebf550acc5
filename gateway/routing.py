"""Which service a path belongs to, and what the gateway learns about one request.

``RequestInfo`` travels in the ASGI scope under ``"gateway"``: the outer
middleware creates it, the rate limiter and the proxy fill it in, and the
outer middleware reads it back for metrics, ``Server-Timing`` and the access
log.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass, field

from starlette.types import Scope

SCOPE_KEY = "gateway"


@dataclass(slots=True)
class RequestInfo:
    route_group: str
    service: str | None
    started: float = field(default_factory=time.perf_counter)
    upstream_seconds: float = 0.0
    client_ip: str = "unknown"


def request_info(scope: Scope) -> RequestInfo | None:
    info = scope.get(SCOPE_KEY)
    return info if isinstance(info, RequestInfo) else None


def service_for(path: str, services: Collection[str]) -> str | None:
    """``meldingen`` for ``/api/meldingen/...`` when meldingen is configured, else None."""
    if not path.startswith("/api/"):
        return None
    end = path.find("/", 5)
    if end == -1:
        return None
    name = path[5:end]
    return name if name in services else None


def has_dot_segment(path: str) -> bool:
    """``.``/``..`` segments could walk out of the route a public pattern allowed."""
    return any(segment in (".", "..") for segment in path.split("/"))
