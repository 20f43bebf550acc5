"""Token buckets per caller and route group, shared through Redis when configured.

With ``WEERBAAR_REDIS_URL`` every gateway replica takes from the same bucket
(one Lua script per request: refill by Redis' own clock, take, expire). When
Redis cannot be reached the limiter logs it once, falls back to in-memory
buckets (fail open: limits still apply, per replica) and tries Redis again
after ``retry_seconds``; when Redis answers again it logs that too.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv6Address, ip_address, ip_network
from typing import Any

from redis import exceptions as redis_errors
from redis.asyncio import Redis

from gateway.config import Rate
from services.common.principal import Principal

logger = logging.getLogger("gateway.ratelimit")

BUCKET_SCRIPT = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local allowed = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, tostring(tokens)}
"""

REDIS_ERRORS = (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: int
    retry_after: int
    backend: str

    def headers(self, *, refused: bool | None = None) -> list[tuple[bytes, bytes]]:
        out = [
            (b"ratelimit-limit", str(self.limit).encode()),
            (b"ratelimit-remaining", str(self.remaining).encode()),
            (b"ratelimit-reset", str(self.reset).encode()),
        ]
        if (not self.allowed) if refused is None else refused:
            out.append((b"retry-after", str(max(1, self.retry_after)).encode()))
        return out


def decide(tokens: float, allowed: bool, rate: Rate, backend: str, cost: float = 1.0) -> Decision:
    return Decision(
        allowed=allowed,
        limit=rate.burst,
        remaining=max(0, math.floor(tokens)),
        reset=max(0, math.ceil((rate.burst - tokens) / rate.per_second)),
        # Seconds until the next whole token: how long a refused caller should wait.
        retry_after=max(0, math.ceil((max(cost, 1.0) - tokens) / rate.per_second)),
        backend=backend,
    )


class MemoryBuckets:
    """In-process buckets; pruned of full ones when they grow past ``max_keys``."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000
    ) -> None:
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, tuple[float, float, Rate]] = {}

    def take(self, key: str, rate: Rate, cost: float = 1.0) -> Decision:
        now = self._clock()
        tokens, ts, _ = self._buckets.get(key, (float(rate.burst), now, rate))
        tokens = min(float(rate.burst), tokens + max(0.0, now - ts) * rate.per_second)
        allowed = tokens >= cost
        if allowed:
            tokens -= cost
        self._buckets[key] = (tokens, now, rate)
        if len(self._buckets) > self._max_keys:
            self._prune(now)
        return decide(tokens, allowed, rate, "memory", cost)

    def _prune(self, now: float) -> None:
        for key, (tokens, ts, rate) in list(self._buckets.items()):
            if tokens + (now - ts) * rate.per_second >= rate.burst:
                del self._buckets[key]
        while len(self._buckets) > self._max_keys:
            del self._buckets[next(iter(self._buckets))]


class RateLimiter:
    """Redis buckets when configured and reachable, in-memory ones otherwise."""

    def __init__(
        self,
        redis: Redis | None,
        *,
        key_prefix: str = "weerbaar:rl:",
        retry_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.redis = redis
        self.memory = MemoryBuckets(clock)
        self._prefix = key_prefix
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._redis_down_since: float | None = None
        self._next_redis_try = 0.0
        self._script = redis.register_script(BUCKET_SCRIPT) if redis is not None else None

    @classmethod
    def from_url(cls, url: str | None, *, retry_seconds: float = 5.0) -> RateLimiter:
        if not url:
            return cls(None, retry_seconds=retry_seconds)
        client = Redis.from_url(
            url, socket_timeout=0.25, socket_connect_timeout=0.25, retry_on_timeout=False
        )
        return cls(client, retry_seconds=retry_seconds)

    @property
    def backend(self) -> str:
        if self.redis is None or self._redis_down_since is not None:
            return "memory"
        return "redis"

    async def take(self, identity: str, group: str, rate: Rate, cost: float = 1.0) -> Decision:
        """Take ``cost`` tokens (0: only look) from the bucket of ``identity`` in ``group``."""
        key = f"{self._prefix}{group}:{identity}"
        if self._script is None:
            return self.memory.take(key, rate, cost)
        now = self._clock()
        if self._redis_down_since is not None and now < self._next_redis_try:
            return self.memory.take(key, rate, cost)
        try:
            result: Any = await self._script(keys=[key], args=[rate.per_second, rate.burst, cost])
        except REDIS_ERRORS as exc:
            if self._redis_down_since is None:
                self._redis_down_since = now
                logger.warning(
                    "rate limits: Redis unreachable (%s); using in-memory buckets",
                    type(exc).__name__,
                )
            self._next_redis_try = now + self._retry_seconds
            return self.memory.take(key, rate, cost)
        if self._redis_down_since is not None:
            logger.warning(
                "rate limits: Redis reachable again after %.1f s; shared buckets restored",
                now - self._redis_down_since,
            )
            self._redis_down_since = None
        allowed, tokens = int(result[0]) == 1, float(result[1])
        return decide(tokens, allowed, rate, "redis", cost)

    async def aclose(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()


def bearer_token(authorization: str | None) -> str | None:
    """The token of a ``Bearer`` authorization header, else None."""
    if authorization and authorization[:7].lower() == "bearer ":
        token = authorization[7:].strip()
        return token or None
    return None


def subject_identity(principal: Principal) -> str:
    """The bucket of a caller whose token verified, hashed so no subject lands in Redis."""
    return _subject_bucket(principal.sub)


@lru_cache(maxsize=4096)
def _subject_bucket(sub: str) -> str:
    # Once per subject, not per request: the same callers send most requests.
    return "p:" + hashlib.sha256(f"sub:{sub}".encode()).hexdigest()[:32]


def address_identity(client_ip: str) -> str:
    """The bucket of everything not (yet) verified: the client's address, an IPv6 one by /64.

    One subscriber line or cloud VM gets a whole IPv6 /64 and may send from any of its 2**64
    addresses: a bucket per address would give it an unlimited budget on the public routes
    and make the lockout after bad tokens meaningless.
    """
    return f"ip:{_address_bucket(client_ip)}"


@lru_cache(maxsize=4096)
def _address_bucket(client_ip: str) -> str:
    try:
        address = ip_address(client_ip)
    except ValueError:
        return client_ip  # "unknown", or a peer that is no address (a Unix socket)
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ip_network(f"{address}/64", strict=False))
    return str(address)
