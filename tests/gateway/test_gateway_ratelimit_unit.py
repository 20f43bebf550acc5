"""Token buckets in memory and in Redis, and whom a budget belongs to."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
from redis.asyncio import Redis

from gateway.config import Rate
from gateway.ratelimit import (
    MemoryBuckets,
    RateLimiter,
    address_identity,
    bearer_token,
    subject_identity,
)
from services.common.principal import Principal

SHARED_REDIS = os.environ.get("WEERBAAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_memory_bucket_refuses_past_burst_and_refills() -> None:
    clock = Clock()
    buckets = MemoryBuckets(clock)
    rate = Rate(per_second=1, burst=3)
    decisions = [buckets.take("k", rate) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[2].remaining == 0
    assert decisions[3].retry_after == 1
    assert decisions[0].limit == 3
    clock.now += 1
    assert buckets.take("k", rate).allowed


def test_identity_is_the_verified_subject_or_the_address() -> None:
    user = subject_identity(Principal(sub="u1", org="GM0363"))
    other = subject_identity(Principal(sub="u2", org="GM0363"))
    assert user.startswith("p:")
    assert user != other
    assert "u1" not in user  # hashed: no subject in Redis
    assert address_identity("1.2.3.4") == "ip:1.2.3.4"
    # An IPv6 caller is its /64 (one line holds all of it); IPv4-mapped is the IPv4 caller.
    assert address_identity("2001:db8:1:2::1") == "ip:2001:db8:1:2::/64"
    assert address_identity("2001:db8:1:2:ffff::9") == "ip:2001:db8:1:2::/64"
    assert address_identity("2001:db8:1:3::1") == "ip:2001:db8:1:3::/64"
    assert address_identity("::ffff:1.2.3.4") == "ip:1.2.3.4"
    assert address_identity("unknown") == "ip:unknown"
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer  abc ") == "abc"
    assert bearer_token("Basic abc") is None
    assert bearer_token("Bearer ") is None
    assert bearer_token(None) is None


def test_redis_buckets_are_shared_between_limiters() -> None:
    async def scenario() -> list[bool]:
        prefix = f"test:{uuid.uuid4().hex}:"
        first = RateLimiter(Redis.from_url(SHARED_REDIS), key_prefix=prefix)
        second = RateLimiter(Redis.from_url(SHARED_REDIS), key_prefix=prefix)
        rate = Rate(per_second=0.01, burst=4)
        try:
            results = []
            for limiter in (first, second, first, second, first):
                decision = await limiter.take("ip:1", "g", rate)
                assert decision.backend == "redis"
                results.append(decision.allowed)
            return results
        finally:
            await first.aclose()
            await second.aclose()

    assert asyncio.run(scenario()) == [True, True, True, True, False]


def test_unreachable_redis_falls_back_to_memory(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        limiter = RateLimiter.from_url("redis://127.0.0.1:1/0", retry_seconds=60)
        try:
            decision = await limiter.take("ip:1", "g", Rate(per_second=1, burst=2))
            assert decision.allowed
            assert decision.backend == "memory"
            assert limiter.backend == "memory"
        finally:
            await limiter.aclose()

    asyncio.run(scenario())
    assert "Redis unreachable" in caplog.text
