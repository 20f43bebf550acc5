"""What crosses the gateway: hop-by-hop, forwarding and identity headers."""

from __future__ import annotations

from ipaddress import ip_network

from gateway.config import DEFAULT_IDENTITY_HEADER_PREFIXES
from gateway.headers import (
    client_ip,
    downstream_response_headers,
    forwarding_context,
    upstream_request_headers,
)

IDENTITY = tuple(p.encode() for p in DEFAULT_IDENTITY_HEADER_PREFIXES)


def _context(
    headers: list[tuple[bytes, bytes]], peer: str = "10.0.0.9", trusted: str = ""
) -> object:
    return forwarding_context(
        peer=peer,
        scheme="http",
        headers=headers,
        trusted=[ip_network(trusted)] if trusted else [],
        prefix="",
        request_id="rid-1",
    )


def test_spoofed_identity_forwarding_and_hop_by_hop_headers_are_dropped() -> None:
    incoming = [
        (b"host", b"gateway.example"),
        (b"authorization", b"Bearer abc"),
        (b"connection", b"keep-alive, x-secret, authorization"),
        (b"x-secret", b"1"),
        (b"keep-alive", b"timeout=5"),
        (b"te", b"trailers"),
        (b"upgrade", b"websocket"),
        (b"proxy-authorization", b"Basic x"),
        (b"x-forwarded-for", b"1.2.3.4"),
        (b"x-forwarded-host", b"evil.example"),
        (b"x-forwarded-proto", b"https"),
        (b"x-forwarded-prefix", b"/evil"),
        (b"forwarded", b"for=1.2.3.4;host=evil.example"),
        (b"x-real-ip", b"1.2.3.4"),
        (b"x-user-id", b"admin"),
        (b"X-Principal", b"admin"),
        (b"x-org", b"OWB"),
        (b"x-roles", b"beheerder"),
        (b"x-auth-request-user", b"admin"),
        (b"x-remote-user", b"admin"),
        (b"remote-user", b"admin"),
        (b"x-request-id", b"client-chosen"),
        (b"accept", b"application/json"),
    ]
    context = _context(incoming)
    out = upstream_request_headers(incoming, context, IDENTITY)  # type: ignore[arg-type]
    names = [name for name, _ in out]
    assert dict(out)[b"authorization"] == b"Bearer abc"
    assert dict(out)[b"accept"] == b"application/json"
    for dropped in (
        b"connection",
        b"x-secret",
        b"keep-alive",
        b"te",
        b"upgrade",
        b"proxy-authorization",
        b"forwarded",
        b"x-real-ip",
        b"x-user-id",
        b"x-principal",
        b"x-org",
        b"x-roles",
        b"x-auth-request-user",
        b"x-remote-user",
        b"remote-user",
        b"host",
    ):
        assert dropped not in names, dropped
    assert dict(out)[b"x-forwarded-for"] == b"10.0.0.9"
    assert dict(out)[b"x-forwarded-host"] == b"gateway.example"
    assert dict(out)[b"x-forwarded-proto"] == b"http"
    assert b"x-forwarded-prefix" not in names
    assert dict(out)[b"x-request-id"] == b"rid-1"
    assert names.count(b"x-forwarded-for") == 1
    assert names.count(b"x-request-id") == 1


def test_trusted_proxy_in_front_may_name_client_host_and_scheme() -> None:
    incoming = [
        (b"host", b"internal:8000"),
        (b"x-forwarded-for", b"203.0.113.7, 10.1.1.1"),
        (b"x-forwarded-host", b"api.weerbaar.nl"),
        (b"x-forwarded-proto", b"https"),
    ]
    context = _context(incoming, peer="10.1.1.2", trusted="10.1.0.0/16")
    assert context.client_ip == "203.0.113.7"  # type: ignore[attr-defined]
    assert context.host == "api.weerbaar.nl"  # type: ignore[attr-defined]
    assert context.proto == "https"  # type: ignore[attr-defined]


def test_untrusted_peer_cannot_claim_another_address() -> None:
    headers = [(b"x-forwarded-for", b"203.0.113.7")]
    assert client_ip("198.51.100.1", headers, []) == "198.51.100.1"


def test_response_headers_lose_hop_by_hop_and_gateway_owned_ones() -> None:
    out = downstream_response_headers(
        [
            (b"content-type", b"application/json"),
            (b"connection", b"close, x-internal"),
            (b"x-internal", b"1"),
            (b"transfer-encoding", b"chunked"),
            (b"date", b"yesterday"),
            (b"x-request-id", b"rid"),
            (b"api-version", b"1.0.0"),
            (b"location", b"http://gw/api/x"),
        ]
    )
    assert [n for n, _ in out] == [b"content-type", b"api-version", b"location"]
