"""The circuit breaker's states: closed, open, half-open."""

from __future__ import annotations

import pytest

from gateway.breaker import BreakerState, CircuitBreaker, CircuitOpen


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_threshold_and_refuses_with_retry_after() -> None:
    clock = Clock()
    breaker = CircuitBreaker("meldingen", failure_threshold=3, open_seconds=10, clock=clock)
    for _ in range(3):
        breaker.before_call()
        breaker.record_failure()
    assert breaker.state is BreakerState.OPEN
    clock.now += 4
    with pytest.raises(CircuitOpen) as refused:
        breaker.before_call()
    assert refused.value.retry_after == 6


def test_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker("m", failure_threshold=2, open_seconds=10, clock=Clock())
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED


def test_half_open_lets_one_probe_through_and_closes_on_success() -> None:
    clock = Clock()
    changes: list[BreakerState] = []
    breaker = CircuitBreaker(
        "m",
        failure_threshold=1,
        open_seconds=5,
        clock=clock,
        on_change=lambda _name, state: changes.append(state),
    )
    breaker.record_failure()
    clock.now += 5
    breaker.before_call()  # the probe
    with pytest.raises(CircuitOpen):
        breaker.before_call()  # a second caller while the probe runs
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED
    assert changes == [BreakerState.OPEN, BreakerState.HALF_OPEN, BreakerState.CLOSED]


def test_failed_probe_opens_again() -> None:
    clock = Clock()
    breaker = CircuitBreaker("m", failure_threshold=1, open_seconds=5, clock=clock)
    breaker.record_failure()
    clock.now += 6
    breaker.before_call()
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN
