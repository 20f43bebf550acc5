"""The breaker of a subscription: a receiver that keeps failing gets one probe per interval.

Order per subscription already keeps a failing delivery in front of the ones behind it, but
once it is `mislukt` the next one was tried at once, and each new head started the retry
schedule from the beginning (at once, 5 s, 5 min …): a dead or slow receiver kept costing a
full time limit again and again. After `drempel` attempts in a row that were not delivered
(a timeout, a refused or broken connection, any answer but 2xx; 410 switches the
subscription off instead) the breaker opens: the subscription is not due before
`onderbroken_tot`, and then only its first delivery goes out, alone, as the probe. Each failed
probe moves the next one along the contract's retry schedule (5 s, 5 min, 30 min, 2 h, 5 h,
10 h, 10 h, and the last interval from then on). The first delivered attempt closes the
breaker, and the backlog goes out in event order as usual.

The state lives in the subscription's row, so it survives a restart and every replica of the
deliverer sees the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.notificaties.aflevering.verzender import Uitkomst


@dataclass(frozen=True)
class Stand:
    fouten_op_rij: int
    onderbroken_tot: datetime | None  # None: closed


GESLOTEN = Stand(0, None)


def interval(fouten_op_rij: int, drempel: int, schema: Sequence[float]) -> float:
    """Seconds to the next probe: the schedule's step for this many failed probes, the last
    step once the schedule is used up (no schedule: no wait)."""
    if not schema:
        return 0.0
    return schema[min(fouten_op_rij - drempel, len(schema) - 1)]


def na(
    stand: Stand,
    uitkomsten: Iterable[Uitkomst],
    *,
    drempel: int,
    schema: Sequence[float],
    nu: datetime,
) -> Stand:
    """The state after these attempts, in the order they were made."""
    for uitkomst in uitkomsten:
        if uitkomst.geslaagd:
            stand = GESLOTEN
        elif uitkomst.http_status != 410:
            fouten = stand.fouten_op_rij + 1
            tot = None
            if fouten >= drempel:
                tot = nu + timedelta(seconds=interval(fouten, drempel, schema))
            stand = Stand(fouten, tot)
    return stand
