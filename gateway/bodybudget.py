"""How many large request bodies one gateway process holds in memory at once.

The proxy reads a body whole before anything goes upstream (see :func:`gateway.proxy.read_body`).
The attachment route allows 20 MiB with a long time budget, so a few dozen slow uploads would
hold hundreds of MiB. A *large* body is one that may pass the default limit
(``WEERBAAR_MAX_BODY_BYTES``): declared longer than it, or sent chunked on a route whose own
limit is larger. Large bodies share a per-process budget (``WEERBAAR_BODY_BUFFER_BYTES``),
reserved by the declared ``Content-Length`` before a byte of the body is read (or chunk by
chunk for a chunked body), and one caller (verified subject, else address) may have at most
``WEERBAAR_BODY_BUFFER_PER_CALLER`` of them in flight. Bodies within the default limit (report
intake) are not in this pool at all, so uploads can never starve them.

The budget is synchronous bookkeeping on the event loop: no locks, nothing awaited.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.metrics import GatewayMetrics

# Seconds a refused client is told to wait: long enough for an upload in flight to progress.
RETRY_AFTER_SECONDS = 5


class BodyBudgetFull(Exception):
    """The process holds as many large bodies as its budget allows (503)."""


class CallerBusy(Exception):
    """This caller already has its share of large bodies in flight (429)."""


@dataclass(slots=True)
class Reservation:
    """One large body's share of the budget; :meth:`release` is idempotent."""

    budget: BodyBudget
    caller: str
    size: int
    released: bool = False

    def grow(self, total: int) -> None:
        """A chunked body has reached ``total`` bytes: reserve up to there, or refuse."""
        if total > self.size:
            self.budget.grow(self, total - self.size)

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.budget.release(self)


@dataclass(slots=True)
class BodyBudget:
    max_bytes: int
    per_caller: int
    metrics: GatewayMetrics | None = None
    reserved: int = 0
    _callers: dict[str, int] = field(default_factory=dict)

    def reserve(self, caller: str, size: int) -> Reservation:
        """Room for a large body of ``size`` bytes (0 for a chunked one), or an exception."""
        if self._callers.get(caller, 0) >= self.per_caller:
            self._refused("caller")
            raise CallerBusy()
        if self.reserved + size > self.max_bytes:
            self._refused("budget")
            raise BodyBudgetFull()
        self._callers[caller] = self._callers.get(caller, 0) + 1
        self.reserved += size
        self._changed()
        return Reservation(self, caller, size)

    def grow(self, reservation: Reservation, more: int) -> None:
        if self.reserved + more > self.max_bytes:
            self._refused("budget")
            raise BodyBudgetFull()
        reservation.size += more
        self.reserved += more
        self._changed()

    def release(self, reservation: Reservation) -> None:
        self.reserved -= reservation.size
        left = self._callers.get(reservation.caller, 0) - 1
        if left > 0:
            self._callers[reservation.caller] = left
        else:
            self._callers.pop(reservation.caller, None)
        self._changed()

    @property
    def in_flight(self) -> int:
        return sum(self._callers.values())

    def _changed(self) -> None:
        if self.metrics is not None:
            self.metrics.body_buffer_bytes.set(self.reserved)
            self.metrics.body_buffer_requests.set(self.in_flight)

    def _refused(self, reason: str) -> None:
        if self.metrics is not None:
            self.metrics.body_buffer_refusals.labels(reason=reason).inc()
