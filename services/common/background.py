"""A stoppable loop as a background task of the process that serves.

The outbox relay and the escalation scheduler both run `run()` until `stop()` is called; both
must let a run in progress finish at shutdown, and neither may hold shutdown up for ever.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any, Protocol, TypeVar

STOP_TIMEOUT_SECONDS = 10.0


class Stoppable(Protocol):
    def run(self) -> Coroutine[Any, Any, None]: ...

    def stop(self) -> None: ...


S = TypeVar("S", bound=Stoppable)


@contextlib.asynccontextmanager
async def running_in_background(worker: S, *, name: str) -> AsyncIterator[S]:
    """Started on enter; on exit asked to stop, given STOP_TIMEOUT_SECONDS, then cancelled."""
    task = asyncio.create_task(worker.run(), name=name)
    try:
        yield worker
    finally:
        worker.stop()
        try:
            await asyncio.wait_for(task, timeout=STOP_TIMEOUT_SECONDS)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
