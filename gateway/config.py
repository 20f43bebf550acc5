"""The gateway's own settings (prefix ``WEERBAAR_``).

The identity settings (issuer, audience, JWKS) are the shared ones from
``services.common``; this file holds only what the front door adds: where the
services live, which routes are public, timeouts, pool sizes, rate limits and
the circuit breaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from ipaddress import IPv4Network, IPv6Network, ip_network
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from contract.public_routes import KENNISBANK_PUBLIC_ROUTES
from services.common.middleware import RouteBody
from services.common.settings import Secret, SecretFileSettings

DEFAULT_PUBLIC_ROUTES = [
    "GET,HEAD ^/health/(live|ready)$",
    "GET,HEAD ^/api/openapi\\.json$",
    "GET,HEAD ^/api/docs(/[A-Za-z0-9._-]+)?$",
    "GET,HEAD ^/api/[a-z]+/v1/openapi\\.json$",
    *(f"{methods} ^{path}$" for methods, path in KENNISBANK_PUBLIC_ROUTES),
]

# Route groups for rate limits and metrics: "name METHODS regex", first match wins.
# A request that matches none falls in the group named after its service.
DEFAULT_ROUTE_GROUPS = [
    "meldingen-aanmaken POST ^/api/meldingen/v1/meldingen$",
    "openapi GET,HEAD ^/api/([a-z]+/v1/)?openapi\\.json$",
    "kennisbank-publiek GET,HEAD ^(" + "|".join(p for _, p in KENNISBANK_PUBLIC_ROUTES) + ")$",
    # A grouping no rollup covers scans the meldingen (75-160 ms at 100,000 of them, on the
    # database report intake writes to): an analyst's dashboard, not 20 a second.
    "statistieken GET,HEAD ^/api/meldingen/v1/statistieken$",
    # Every subscription write makes the service resolve a callback host: keep them rare.
    "abonnementen-schrijven POST,PATCH,DELETE ^/api/notificaties/v1/abonnementen(/.*)?$",
]

# Routes whose body may pass max_body_bytes: "MAX_BYTES METHODS REGEX", first match wins.
# Attachments: 20 MiB per file plus 64 KiB for the multipart framing (the service's own rule).
DEFAULT_ROUTE_BODY_LIMITS = [
    "21037056 POST ^/api/meldingen/v1/meldingen/[^/]+/bijlagen$",
]

# Requests per second and burst per route group; "*" is the default.
DEFAULT_RATE_LIMITS = {
    "*": "20/40",
    "meldingen-aanmaken": "1/10",
    "openapi": "5/20",
    "abonnementen-schrijven": "0.5/10",
    "statistieken": "0.5/10",
    # Tokens that fail verification, per client address (see gateway.middleware).
    "auth-failures": "0.2/20",
}

# Header name prefixes a service might read as the caller's identity.
DEFAULT_IDENTITY_HEADER_PREFIXES = [
    "x-user",
    "x-principal",
    "x-org",
    "x-role",
    "x-auth",
    "x-remote-user",
    "remote-user",
    "x-remote-",
    "x-subject",
    "x-sub",
    "x-email",
    "x-client-id",
    "x-consumer-",
    "x-credential",
    "x-jwt",
    "x-token",
    "x-id-token",
    "x-access-token",
    "x-userinfo",
    "x-apigateway",
    "x-ms-client-principal",
    "x-goog-authenticated",
    "x-amzn-oidc",
]


@dataclass(frozen=True, slots=True)
class RoutePattern:
    """A set of methods plus a path regex; ``*`` matches any method."""

    name: str
    methods: frozenset[str]
    pattern: re.Pattern[str]

    def matches(self, method: str, path: str) -> bool:
        if "*" not in self.methods and method not in self.methods:
            return False
        return self.pattern.match(path) is not None

    @classmethod
    def parse(cls, spec: str, *, named: bool = False) -> RoutePattern:
        parts = spec.split(None, 2 if named else 1)
        if len(parts) != (3 if named else 2):
            raise ValueError(
                f"route pattern {spec!r}: expected {'NAME ' if named else ''}METHODS REGEX"
            )
        name = parts[0] if named else ""
        methods, regex = parts[-2], parts[-1]
        return cls(
            name=name,
            methods=frozenset(m.strip().upper() for m in methods.split(",") if m.strip()),
            pattern=re.compile(regex),
        )


@dataclass(frozen=True, slots=True)
class Rate:
    """A token bucket's refill per second and its capacity."""

    per_second: float
    burst: int

    @classmethod
    def parse(cls, spec: str) -> Rate:
        rate, _, burst = spec.partition("/")
        per_second = float(rate)
        capacity = int(burst) if burst else max(1, int(per_second))
        if per_second <= 0 or capacity < 1:
            raise ValueError(f"rate {spec!r}: need a positive rate and burst")
        return cls(per_second=per_second, burst=capacity)


@dataclass(frozen=True, slots=True)
class UpstreamTimeouts:
    """Seconds: connect, between bytes read/written, waiting for a pooled connection, total."""

    connect: float
    read: float
    write: float
    pool: float
    total: float


def check_base_url(value: str) -> str:
    """``http(s)://host[:port][/prefix]``, no query or fragment; returned without a final /."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{value!r}: expected http(s)://host[:port][/prefix]")
    return value.rstrip("/")


def _split_list(value: object) -> object:
    """Accept a JSON list or a comma/newline separated string from the environment."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            import json

            return json.loads(text)
        separator = "\n" if "\n" in text else ","
        return [item.strip() for item in text.split(separator) if item.strip()]
    return value


class GatewaySettings(SecretFileSettings):
    """Everything the gateway reads from ``WEERBAAR_*``; defaults are the local stack."""

    model_config = SettingsConfigDict(
        env_prefix="WEERBAAR_", extra="ignore", use_attribute_docstrings=True
    )

    host: str = "127.0.0.1"
    """Address the gateway listens on."""
    port: int = 8000
    """Port the gateway listens on."""
    metrics_host: str = "127.0.0.1"
    """Address of the Prometheus metrics listener (`GET /metrics`), never the public port."""
    metrics_port: int = 9000
    """Port of the metrics listener; must differ from the public port."""
    log_level: str = "INFO"
    """Log level of the gateway's JSON log."""
    workers: int = 1
    """uvicorn worker processes (each with its own pool, breakers and, without Redis, rate-limit
    buckets)."""

    meldingen_url: str = "http://127.0.0.1:8001"
    """Upstream URL of meldingen; empty: not routed."""
    beveiliging_url: str = "http://127.0.0.1:8002"
    """Upstream URL of beveiliging; empty: not routed."""
    kennisbank_url: str = "http://127.0.0.1:8003"
    """Upstream URL of kennisbank; empty: not routed."""
    notificaties_url: str = "http://127.0.0.1:8004"
    """Upstream URL of notificaties; empty: not routed."""

    public_routes: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_PUBLIC_ROUTES)
    )
    """Routes served without a token, a JSON list (or comma/newline separated) of `"METHODS
    regex"`."""
    route_groups: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_ROUTE_GROUPS)
    )
    """Groups for rate limits and metrics, `"name METHODS regex"`, first match wins; a request
    matching none falls in the group named after its service."""
    identity_header_prefixes: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_IDENTITY_HEADER_PREFIXES)
    )
    """Header name prefixes removed from every client request, so a client cannot forge identity
    headers."""
    public_prefix: str = ""
    """Path prefix the outside world sees in front of `/api` (sent as `X-Forwarded-Prefix`);
    empty: none."""
    public_base_url: str | None = None
    """The URL clients reach the API under, e.g. `https://api.weerbaar.example`; the services'
    links are built from it (its path wins over the public prefix). Unset: the gateway's own
    address or a trusted proxy's `X-Forwarded-Host`, never the client's `Host`."""
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["localhost", "127.0.0.1", "[::1]"]
    )
    """Without a public base URL: host names whose `Host` header the links may carry (any port)."""

    upstream_connect_timeout: float = 2.0
    """Seconds to connect to an upstream."""
    upstream_read_timeout: float = 15.0
    """Seconds between bytes read from an upstream."""
    upstream_write_timeout: float = 15.0
    """Seconds between bytes written to an upstream, in the gateway's own calls (health, the
    OpenAPI documents). A proxied request's body is in memory: the read timeout bounds its
    sending, since it runs from the moment the request is sent."""
    upstream_pool_timeout: float = 2.0
    """Seconds to wait for a free pooled connection (for a proxied request: this and the
    connect timeout together bound getting a connection)."""
    upstream_total_timeout: float = 30.0
    """Seconds one upstream exchange may take in all; beyond it 504."""
    upstream_timeouts: dict[str, dict[str, float]] = Field(default_factory=dict)
    """Per-service overrides of the timeouts, JSON: `{"kennisbank": {"connect": 1, "read": 5,
    "total": 10}}`."""
    upstream_max_connections: int = 100
    """Connection pool size per upstream; the keep-alive pool is as large."""
    upstream_keepalive_expiry: float = 30.0
    """Seconds an idle pooled connection is kept."""
    upstream_retries: int = 1
    """Extra attempts for idempotent requests whose connection failed; never for POST."""

    max_body_bytes: int = 1024 * 1024
    """Largest request body the gateway passes on; beyond it 413."""
    body_read_timeout: float = 10.0
    """Seconds the client may take per body chunk; else 408."""
    body_total_timeout: float = 60.0
    """Seconds the client may take for its whole body; else 408."""
    route_body_limits: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_ROUTE_BODY_LIMITS)
    )
    """Routes with a body limit of their own, `"MAX_BYTES METHODS regex"`; all others keep the
    maximum body size."""
    body_buffer_bytes: int = Field(default=64 * 1024 * 1024, ge=1)
    """Bytes of large bodies (over the maximum body size: uploads) one process holds at once,
    reserved by `Content-Length` before the body is read; beyond it 503. At least the largest
    route body limit."""
    body_buffer_per_caller: int = Field(default=2, ge=1)
    """Large bodies one caller (verified `sub`, else address) may have in flight; beyond it 429."""
    token_cache_seconds: float = 60.0
    """How long an accepted token is remembered (never past its `exp`); 0 checks every time."""

    breaker_failure_threshold: int = 5
    """Failed attempts in a row after which an upstream's circuit opens."""
    breaker_open_seconds: float = 10.0
    """Seconds an open circuit refuses at once (503) before one probe is let through."""

    redis_url: Secret = None
    """Redis for rate-limit buckets shared by every replica; unset or unreachable: in-memory per
    process."""
    rate_limits: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_RATE_LIMITS))
    """Per route group, JSON: `refill per second/burst`; `*` is every other group."""
    rate_limit_enabled: bool = True
    """Apply the rate limits."""
    redis_retry_seconds: float = 5.0
    """While Redis is unreachable, seconds between attempts to use it again."""
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """CIDRs of proxies in front of the gateway whose `X-Forwarded-*` are believed."""

    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Origins allowed by CORS; the OpenAPI documents are served to any origin."""

    openapi_refresh_seconds: float = 30.0
    """Seconds between refreshes of the services' OpenAPI documents; a missing one is asked again
    every 2 s."""

    @field_validator(
        "public_routes",
        "route_groups",
        "route_body_limits",
        "identity_header_prefixes",
        "trusted_proxies",
        "cors_origins",
        "allowed_hosts",
        mode="before",
    )
    @classmethod
    def _lists_from_env(cls, value: object) -> object:
        return _split_list(value)

    @model_validator(mode="after")
    def _metrics_apart(self) -> GatewaySettings:
        if self.metrics_port == self.port:
            raise ValueError("WEERBAAR_METRICS_PORT must differ from WEERBAAR_PORT")
        return self

    @model_validator(mode="after")
    def _largest_body_fits(self) -> GatewaySettings:
        largest = max((route.max_bytes for route in self.body_limits), default=0)
        if largest > self.body_buffer_bytes:
            raise ValueError(
                f"WEERBAAR_BODY_BUFFER_BYTES ({self.body_buffer_bytes}) is smaller than the "
                f"largest route body limit ({largest}): such a body could never be accepted"
            )
        return self

    @field_validator("redis_url", "public_base_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("public_base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        return None if value is None else check_base_url(value)

    @cached_property
    def upstreams(self) -> dict[str, str]:
        """Configured services by name; a service whose URL is empty is not routed."""
        urls = {
            "meldingen": self.meldingen_url,
            "beveiliging": self.beveiliging_url,
            "kennisbank": self.kennisbank_url,
            "notificaties": self.notificaties_url,
        }
        return {name: url.rstrip("/") for name, url in urls.items() if url.strip()}

    @cached_property
    def allowed_host_names(self) -> frozenset[str]:
        return frozenset(host.strip().lower() for host in self.allowed_hosts if host.strip())

    @cached_property
    def link_prefix(self) -> str:
        """The path in front of /api as clients see it: the base URL's, else public_prefix."""
        if self.public_base_url:
            path = urlsplit(self.public_base_url).path.rstrip("/")
            if path:
                return path
        return self.public_prefix

    @cached_property
    def public_patterns(self) -> tuple[RoutePattern, ...]:
        return tuple(RoutePattern.parse(spec) for spec in self.public_routes)

    @cached_property
    def body_limits(self) -> tuple[RouteBody, ...]:
        return tuple(RouteBody.parse(spec) for spec in self.route_body_limits)

    def max_body_for(self, method: str, path: str) -> int:
        own = next((r for r in self.body_limits if r.matches(method, path)), None)
        return own.max_bytes if own is not None else self.max_body_bytes

    @cached_property
    def group_patterns(self) -> tuple[RoutePattern, ...]:
        return tuple(RoutePattern.parse(spec, named=True) for spec in self.route_groups)

    @cached_property
    def rates(self) -> dict[str, Rate]:
        parsed = {group: Rate.parse(spec) for group, spec in self.rate_limits.items()}
        parsed.setdefault("*", Rate.parse(DEFAULT_RATE_LIMITS["*"]))
        return parsed

    @cached_property
    def trusted_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        return tuple(ip_network(item, strict=False) for item in self.trusted_proxies)

    def timeouts_for(self, service: str) -> UpstreamTimeouts:
        own = self.upstream_timeouts.get(service, {})
        unknown = set(own) - {"connect", "read", "write", "pool", "total"}
        if unknown:
            raise ValueError(f"upstream_timeouts.{service}: unknown {sorted(unknown)}")
        return UpstreamTimeouts(
            connect=own.get("connect", self.upstream_connect_timeout),
            read=own.get("read", self.upstream_read_timeout),
            write=own.get("write", self.upstream_write_timeout),
            pool=own.get("pool", self.upstream_pool_timeout),
            total=own.get("total", self.upstream_total_timeout),
        )

    def is_public(self, method: str, path: str) -> bool:
        return any(p.matches(method, path) for p in self.public_patterns)

    def route_group(self, method: str, path: str, service: str | None) -> str:
        for pattern in self.group_patterns:
            if pattern.matches(method, path):
                return pattern.name
        return service or "gateway"

    def rate_for(self, group: str) -> Rate:
        return self.rates.get(group, self.rates["*"])
