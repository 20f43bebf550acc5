"""Wait for a condition instead of sleeping a fixed time against a tight bound.

A fixed sleep is either too short on a loaded machine (the test fails by the clock) or too
long everywhere else. `wait_until` polls a condition until it holds or a deadline passes and
then fails with a message that says what was awaited and what was last seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class WaitTimeout(AssertionError):
    """The condition never held before the deadline (an AssertionError, so pytest reports it)."""


def wait_until(
    condition: Callable[[], T],
    *,
    what: str,
    timeout: float = 30.0,
    interval: float = 0.05,
    describe: Callable[[], object] | None = None,
) -> T:
    """Call `condition` until it returns a truthy value and return that value.

    `what` names the awaited state for the failure message; `describe`, when given, is called
    once on failure to add what the world looked like (a log tail, a counter, a status).
    Exceptions raised by `condition` are not swallowed: a broken probe is a broken test.
    """
    deadline = time.monotonic() + timeout
    last: T = condition()
    while not last:
        if time.monotonic() >= deadline:
            seen = describe() if describe is not None else last
            raise WaitTimeout(f"waited {timeout:g}s for {what}; last seen: {seen!r}")
        time.sleep(interval)
        last = condition()
    return last
