"""Which headers cross the gateway, in both directions.

Requests: hop-by-hop headers (and any header the client names in
``Connection``) stop here; the client's ``X-Forwarded-*``/``Forwarded`` are
replaced by the gateway's own so the services build links that point at the
gateway (from ``WEERBAAR_PUBLIC_BASE_URL`` when set, never from the client's
``Host``); any header a service could mistake for the caller's identity is
dropped, since identity travels only in the bearer token.

Responses: hop-by-hop headers stop here, and so do the headers the gateway
sets itself (date, server, request id, CORS), so none appears twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address
from urllib.parse import urlsplit

HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"proxy-connection",
        b"te",
        b"trailer",
        b"trailers",
        b"transfer-encoding",
        b"upgrade",
        b"http2-settings",
    }
)

# Set by the gateway for the upstream; whatever the client sent under these names is dropped.
FORWARDING = frozenset(
    {
        b"host",
        # The gateway answers the client's 100-continue itself; httpx does not do it upstream.
        b"expect",
        b"forwarded",
        b"x-real-ip",
        b"x-request-id",
        b"x-original-url",
        b"x-rewrite-url",
        b"x-original-forwarded-for",
        b"x-envoy-external-address",
        b"x-envoy-original-path",
        b"true-client-ip",
        b"cf-connecting-ip",
        b"x-client-ip",
        b"x-cluster-client-ip",
    }
)

# Written by the gateway's own middleware or server on every response.
GATEWAY_OWNED_RESPONSE = frozenset({b"date", b"server", b"x-request-id"})

# A client's Connection header may not make the gateway drop these (a known smuggling trick).
NEVER_DROPPED_BY_CONNECTION = frozenset({b"authorization", b"content-length", b"content-type"})

NetworkList = Sequence[IPv4Network | IPv6Network]


def _connection_tokens(headers: Iterable[tuple[bytes, bytes]]) -> set[bytes]:
    named: set[bytes] = set()
    for name, value in headers:
        if name.lower() == b"connection":
            named.update(token.strip().lower() for token in value.split(b",") if token.strip())
    return named - NEVER_DROPPED_BY_CONNECTION


def is_trusted(host: str | None, trusted: NetworkList) -> bool:
    if not host or not trusted:
        return False
    return _in_networks(host, trusted if isinstance(trusted, tuple) else tuple(trusted))


@lru_cache(maxsize=4096)
def _in_networks(host: str, trusted: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    # Behind an ingress every request asks this of the same few proxy addresses, up to three
    # times: parse each once. Hops a client names only cost cache places, never a wrong answer.
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in trusted)


def client_ip(
    peer: str | None, headers: Iterable[tuple[bytes, bytes]], trusted: NetworkList
) -> str:
    """The caller's address: the peer, or behind trusted proxies the first untrusted hop."""
    if peer is None:
        return "unknown"
    if not is_trusted(peer, trusted):
        return peer
    hops: list[str] = []
    for name, value in headers:
        if name.lower() == b"x-forwarded-for":
            hops.extend(h.strip() for h in value.decode("latin-1").split(",") if h.strip())
    for hop in reversed(hops):
        if not is_trusted(hop, trusted):
            try:
                return str(ip_address(hop))
            except ValueError:
                return peer
    return hops[0] if hops else peer


@dataclass(frozen=True, slots=True)
class ForwardingContext:
    """What the gateway tells the service about the original request."""

    client_ip: str
    host: str
    proto: str
    prefix: str
    request_id: str


def _first(headers: Iterable[tuple[bytes, bytes]], wanted: bytes) -> bytes | None:
    for name, value in headers:
        if name.lower() == wanted:
            return value
    return None


def authority(server: tuple[str, int | None] | None, scheme: str) -> str | None:
    """``host[:port]`` of a socket address, the port left out where it is the default."""
    if server is None:
        return None
    host, port = server
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(scheme)
    return host if port is None or port == default else f"{host}:{port}"


def _hostname(authority: str) -> str:
    """``example.org:8000`` → ``example.org``; ``[::1]:8000`` → ``[::1]``; lower case."""
    text = authority.lower()
    if text.startswith("["):
        return text.split("]", 1)[0] + "]"
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text


def forwarding_context(
    *,
    peer: str | None,
    scheme: str,
    headers: Sequence[tuple[bytes, bytes]],
    trusted: NetworkList,
    prefix: str,
    request_id: str,
    server: tuple[str, int | None] | None = None,
    public_base_url: str | None = None,
    allowed_hosts: frozenset[str] = frozenset(),
    known_client_ip: str | None = None,
) -> ForwardingContext:
    """Where the client reached the API, for the links the services build.

    Never a ``Host`` the client chose freely: that would let anyone put their host in
    ``Location`` and ``next``. In order: the configured ``public_base_url``; what a trusted
    proxy in front says (``X-Forwarded-Host``/``-Proto``); the client's ``Host`` if its name
    is in ``allowed_hosts``; the address of the socket the request came in on.
    """
    # The outer middleware has usually worked the client's address out already.
    ip = known_client_ip if known_client_ip is not None else client_ip(peer, headers, trusted)
    if public_base_url:
        parts = urlsplit(public_base_url)
        return ForwardingContext(
            client_ip=ip,
            host=parts.netloc,
            proto=parts.scheme,
            prefix=parts.path.rstrip("/") or prefix,
            request_id=request_id,
        )
    offered = (_first(headers, b"host") or b"").decode("latin-1").strip()
    host = authority(server, scheme)
    if host is None or _hostname(offered) in allowed_hosts:
        host = offered
    proto = scheme
    if is_trusted(peer, trusted):
        fwd_host = _first(headers, b"x-forwarded-host")
        fwd_proto = _first(headers, b"x-forwarded-proto")
        if fwd_host:
            host = fwd_host.decode("latin-1").split(",")[0].strip()
        if fwd_proto:
            proto = fwd_proto.decode("latin-1").split(",")[0].strip().lower()
    if proto not in ("http", "https"):
        proto = scheme
    return ForwardingContext(
        client_ip=ip,
        host=host,
        proto=proto,
        prefix=prefix,
        request_id=request_id,
    )


def upstream_request_headers(
    headers: Iterable[tuple[bytes, bytes]],
    context: ForwardingContext,
    identity_prefixes: tuple[bytes, ...],
) -> list[tuple[bytes, bytes]]:
    """The client's headers, cleaned, plus the gateway's forwarding headers."""
    headers = list(headers)
    dropped = _connection_tokens(headers)
    kept: list[tuple[bytes, bytes]] = []
    for name, value in headers:
        lower = name.lower()
        if (
            lower in HOP_BY_HOP
            or lower in FORWARDING
            or lower in dropped
            or lower.startswith(b"x-forwarded-")
            or lower.startswith(identity_prefixes)
        ):
            continue
        kept.append((lower, value))
    kept.append((b"x-forwarded-for", context.client_ip.encode("latin-1")))
    kept.append((b"x-forwarded-proto", context.proto.encode("latin-1")))
    if context.host:
        kept.append((b"x-forwarded-host", context.host.encode("latin-1")))
    if context.prefix:
        kept.append((b"x-forwarded-prefix", context.prefix.encode("latin-1")))
    kept.append((b"x-request-id", context.request_id.encode("latin-1")))
    return kept


def downstream_response_headers(
    headers: Iterable[tuple[bytes, bytes]],
) -> list[tuple[bytes, bytes]]:
    """The service's response headers without hop-by-hop and gateway-owned ones."""
    headers = list(headers)
    dropped = _connection_tokens(headers)
    return [
        (name.lower(), value)
        for name, value in headers
        if name.lower() not in HOP_BY_HOP
        and name.lower() not in GATEWAY_OWNED_RESPONSE
        and name.lower() not in dropped
        # CORS is the gateway's answer, from its own allow-list.
        and not name.lower().startswith(b"access-control-")
    ]
