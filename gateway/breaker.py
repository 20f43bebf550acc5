"""A circuit breaker per upstream.

Closed: requests pass; ``failure_threshold`` failures in a row open it.
Open: requests are refused at once (503 with ``Retry-After``) for
``open_seconds``. Half-open: one probe request passes; its success closes
the breaker, its failure opens it again. State is per gateway process: each
replica learns for itself that a service is down.
"""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Callable


class BreakerState(enum.IntEnum):
    CLOSED = 0
    HALF_OPEN = 1
    OPEN = 2


class CircuitOpen(Exception):
    """Raised instead of calling an upstream whose breaker is open."""

    def __init__(self, upstream: str, retry_after: int) -> None:
        super().__init__(f"circuit for {upstream} is open")
        self.upstream = upstream
        self.retry_after = retry_after


class CircuitBreaker:
    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int,
        open_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        on_change: Callable[[str, BreakerState], None] | None = None,
    ) -> None:
        self.name = name
        self.failure_threshold = max(1, failure_threshold)
        self.open_seconds = open_seconds
        self._clock = clock
        self._on_change = on_change
        self._state = BreakerState.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._probe_in_flight = False

    @property
    def state(self) -> BreakerState:
        if (
            self._state is BreakerState.OPEN
            and self._clock() - self._opened_at >= self.open_seconds
        ):
            self._set(BreakerState.HALF_OPEN)
        return self._state

    def before_call(self) -> None:
        """Let the call through or raise :class:`CircuitOpen`."""
        state = self.state
        if state is BreakerState.CLOSED:
            return
        if state is BreakerState.HALF_OPEN and not self._probe_in_flight:
            self._probe_in_flight = True
            return
        raise CircuitOpen(self.name, self.retry_after())

    def retry_after(self) -> int:
        remaining = self.open_seconds - (self._clock() - self._opened_at)
        return max(1, math.ceil(remaining))

    def record_success(self) -> None:
        self._failures = 0
        self._probe_in_flight = False
        if self._state is not BreakerState.CLOSED:
            self._set(BreakerState.CLOSED)

    def record_failure(self) -> None:
        self._probe_in_flight = False
        if self._state is BreakerState.HALF_OPEN:
            self._open()
            return
        self._failures += 1
        if self._state is BreakerState.CLOSED and self._failures >= self.failure_threshold:
            self._open()

    def release_probe(self) -> None:
        """The probe ended without a verdict (e.g. the client went away)."""
        self._probe_in_flight = False

    def _open(self) -> None:
        self._opened_at = self._clock()
        self._failures = 0
        self._set(BreakerState.OPEN)

    def _set(self, state: BreakerState) -> None:
        if state is not self._state:
            self._state = state
            if self._on_change is not None:
                self._on_change(self.name, state)
