"""Absolute links as the client sees them: through the gateway they point at the gateway.

Where a link's scheme, host and prefix come from, in order: ``WEERBAAR_PUBLIC_BASE_URL``
when set; the ``X-Forwarded-Proto/-Host/-Prefix`` the gateway sets, believed only from a
peer in ``WEERBAAR_FORWARDED_ALLOW_IPS`` (loopback by default, "*" for any); otherwise this
server's own address. Never from headers of a caller that is not a trusted proxy: they
would put any host they like in ``Location`` and ``next``.
"""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from urllib.parse import urlencode

from starlette.requests import Request

DEFAULT_ALLOW = ("127.0.0.1", "::1")


@lru_cache(maxsize=8)
def _networks(allow: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...] | None:
    """The trusted networks; None means any peer ("*")."""
    if "*" in allow:
        return None
    return tuple(ip_network(item, strict=False) for item in allow)


def _trusted(peer: str | None, allow: tuple[str, ...]) -> bool:
    networks = _networks(allow)
    if networks is None:
        return True
    if peer is None:
        return False
    try:
        address = ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in networks)


def _own(request: Request) -> str:
    scheme = request.url.scheme
    server = request.scope.get("server")
    if not server:
        return f"{scheme}://{request.url.netloc}"
    host, port = server
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == {"http": 80, "https": 443}.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def public_base_url(request: Request) -> str:
    """Scheme, host and prefix the client reached the API under."""
    state = getattr(request.app.state, "service", None)
    settings = getattr(state, "settings", None)
    configured: str | None = getattr(settings, "public_base_url", None)
    if configured:
        return configured.rstrip("/")
    allow = tuple(getattr(settings, "forwarded_allow_ips", DEFAULT_ALLOW))
    peer = request.client.host if request.client else None
    if not _trusted(peer, allow):
        return _own(request)
    headers = request.headers
    proto = headers.get("x-forwarded-proto", request.url.scheme).split(",")[0].strip()
    host = headers.get("x-forwarded-host") or headers.get("host") or request.url.netloc
    host = host.split(",")[0].strip()
    prefix = headers.get("x-forwarded-prefix", "").split(",")[0].strip().rstrip("/")
    if proto not in {"http", "https"}:
        proto = request.url.scheme
    return f"{proto}://{host}{prefix}"


def absolute_url(request: Request, path: str, query: dict[str, object] | None = None) -> str:
    url = public_base_url(request) + path
    if query:
        pairs: list[tuple[str, str]] = []
        for key, value in query.items():
            if value is None:
                continue
            if isinstance(value, list | tuple):
                pairs.extend((key, str(v)) for v in value)
            else:
                pairs.append((key, str(value)))
        if pairs:
            url += "?" + urlencode(pairs)
    return url
