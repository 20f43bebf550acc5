"""Callback URLs that cannot be turned against the platform (SSRF).

A callback's host is resolved and every address it resolves to must be public: loopback,
private, link-local (cloud metadata lives there), multicast, unspecified, reserved, shared
(CGNAT) and documentation ranges are refused, also when hidden in IPv4-mapped, 6to4, Teredo
or NAT64 IPv6 addresses, or written as decimal, hexadecimal or octal IPv4. Only hosts in
WEERBAAR_WEBHOOK_ALLOWED_HOSTS skip the address check. The check runs when a subscription is
written and again before every delivery, and the delivery connects to the address that was
checked, so a second DNS answer (rebinding) never decides where we connect.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

MAX_URL_LENGTH = 2048
_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*\.?$"
)
# inet_aton's forms: 2130706433, 0x7f000001, 0177.0.0.1, 127.1 — all of them IPv4.
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$")


class CallbackRefused(ValueError):
    """The callback URL may not be used; `code` is the stable word for invalidParams."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class Doel:
    """Where a delivery connects: the checked address, with the URL's own host for TLS/Host."""

    url: SplitResult
    host: str
    port: int
    adres: str
    toegestaan: bool

    @property
    def connect_url(self) -> str:
        """The URL with the checked address in place of the host name."""
        literal = f"[{self.adres}]" if ":" in self.adres else self.adres
        netloc = f"{literal}:{self.port}"
        return self.url._replace(netloc=netloc, fragment="").geturl()

    @property
    def host_header(self) -> str:
        default = 443 if self.url.scheme == "https" else 80
        literal = f"[{self.host}]" if ":" in self.host else self.host
        return literal if self.port == default else f"{literal}:{self.port}"


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    compatible = int(ip)
    if compatible >> 32 == 0 and compatible > 1:  # deprecated ::a.b.c.d
        return ipaddress.IPv4Address(compatible)
    return None


def refusal(ip: IPAddress) -> str | None:
    """Why an address may not be called, or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return "link_local"
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return refusal(embedded)
    if ip in _METADATA:
        return "metadata"
    checks = (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link_local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("reserved", not ip.is_global),
    )
    for code, hit in checks:
        if hit:
            return code
    return None


def literal_ip(host: str) -> IPAddress | None:
    """The address a host names literally, in any form a resolver would accept."""
    bare = host.strip("[]")
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if _LEGACY_IPV4.match(bare.lower()):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(bare))
        except OSError:
            raise CallbackRefused("format", "Geen geldig IP-adres.") from None
    return None


def parse(url: str, *, https_required: bool) -> tuple[SplitResult, str, int]:
    if len(url) > MAX_URL_LENGTH:
        raise CallbackRefused("max_length", f"Hoogstens {MAX_URL_LENGTH} tekens.")
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url) or "\\" in url:
        raise CallbackRefused("format", "Geen geldige URL.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise CallbackRefused("format", "Geen geldige URL.") from None
    allowed_schemes = {"https"} if https_required else {"https", "http"}
    if parts.scheme not in allowed_schemes:
        reason = "Alleen https." if https_required else "Alleen http of https."
        raise CallbackRefused("scheme", reason)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise CallbackRefused("format", "Geen gebruikersnaam of wachtwoord in de URL.")
    host = (parts.hostname or "").lower()
    if not host:
        raise CallbackRefused("format", "De URL mist een host.")
    if "%" in host:
        raise CallbackRefused("link_local", "Een IPv6-zone wijst naar het lokale netwerk.")
    if literal_ip(host) is None and not _HOSTNAME.match(host):
        raise CallbackRefused("format", "Geen geldige hostnaam.")
    return parts, host, port or (443 if parts.scheme == "https" else 80)


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return [str(info[4][0]) for info in infos]


def _first_allowed(addresses: Iterable[str]) -> str:
    for address in addresses:
        return address
    raise CallbackRefused("unresolvable", "De host is niet te vinden.")


async def check(
    url: str,
    *,
    allowed_hosts: frozenset[str],
    https_required: bool,
    resolver: Resolver = system_resolver,
) -> Doel:
    """Resolve and check; the returned address is the one to connect to."""
    parts, host, port = parse(url, https_required=https_required)
    toegestaan = host in allowed_hosts
    literal = literal_ip(host)
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = await asyncio.wait_for(resolver(host, port), timeout=5)
        except (OSError, TimeoutError, UnicodeError):
            raise CallbackRefused("unresolvable", "De host is niet te vinden.") from None
    if not toegestaan:
        for address in addresses:
            try:
                ip = ipaddress.ip_address(address)
            except ValueError:
                raise CallbackRefused("unresolvable", "De host is niet te vinden.") from None
            reason = refusal(ip)
            if reason is not None:
                raise CallbackRefused(
                    reason, f"De host wijst naar een niet-publiek adres ({reason})."
                )
    # IPv4 first: `localhost` often answers ::1 first while a receiver listens on 127.0.0.1,
    # and partners' IPv6 is the likelier one to be broken.
    adres = _first_allowed(
        sorted((str(ipaddress.ip_address(a)) for a in addresses), key=lambda a: ":" in a)
    )
    return Doel(parts, host, port, adres, toegestaan)
