"""Escalation: one `melding-termijn-verstreken` per melding whose deadline passed unpicked,
one `nazorgmoment-verlopen` per aftercare moment that passed unperformed.

Exactly once, with any number of replicas and CronJob runs: each batch is one transaction that
claims its rows (services.meldingen.termijn.repository), sets the row's marker and writes the
event into the outbox. A marker set means the event is committed, and the other way round; no
in-memory "already sent". A run looks at everything overdue and unmarked, however old, so a
deadline that passed while nothing ran still gets its event once (catch-up after downtime).

It runs inside each service process (`WEERBAAR_ESCALATIE_INTERVAL_SECONDS`, 0 = off) and as
`python -m services.meldingen escalate` for one run (a CronJob).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.background import running_in_background
from services.common.types import utcnow
from services.meldingen import events
from services.meldingen.termijn import repository

log = logging.getLogger("weerbaar.meldingen.escalatie")
BATCH = 200


@dataclass
class Uitkomst:
    """What one run wrote."""

    termijn_verstreken: int = 0
    nazorg_verlopen: int = 0


async def _batch_meldingen(session: AsyncSession, now: datetime, limit: int) -> int:
    meldingen = await repository.claim_verstreken(session, now, limit)
    for melding in meldingen:
        melding.termijn_gemeld_op = now
        events.melding_termijn_verstreken(session, melding)
    return len(meldingen)


async def _batch_nazorg(session: AsyncSession, now: datetime, limit: int) -> int:
    rows = await repository.claim_verlopen(session, now, limit)
    for moment, melding in rows:
        moment.verlopen_gemeld_op = now
        events.nazorgmoment_verlopen(session, melding, moment)
    return len(rows)


async def _drain(
    sessions: async_sessionmaker[AsyncSession],
    claim_batch: Callable[[AsyncSession, datetime, int], Awaitable[int]],
    now: datetime,
    batch: int,
) -> int:
    """Claim-and-write transactions of at most `batch` rows until one comes back short."""
    written = 0
    while True:
        async with sessions() as session, session.begin():
            n = await claim_batch(session, now, batch)
        written += n
        if n < batch:
            return written


async def run_once(
    sessions: async_sessionmaker[AsyncSession],
    *,
    now: datetime | None = None,
    batch: int = BATCH,
) -> Uitkomst:
    """One pass over everything overdue at `now`, in transactions of at most `batch` rows."""
    now = now or utcnow()
    uitkomst = Uitkomst(
        termijn_verstreken=await _drain(sessions, _batch_meldingen, now, batch),
        nazorg_verlopen=await _drain(sessions, _batch_nazorg, now, batch),
    )
    if uitkomst.termijn_verstreken or uitkomst.nazorg_verlopen:
        log.info(
            "escalation run",
            extra={
                "termijn_verstreken": uitkomst.termijn_verstreken,
                "nazorg_verlopen": uitkomst.nazorg_verlopen,
            },
        )
    return uitkomst


@dataclass
class Escalatie:
    """The periodic scheduler inside a service process."""

    sessions: async_sessionmaker[AsyncSession]
    interval: float
    runs: int = 0
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        while not self._stopping.is_set():
            try:
                await run_once(self.sessions)
                self.runs += 1
            except asyncio.CancelledError:
                raise
            except Exception as error:  # database away: try again next interval, never crash
                log.warning("escalation run failed", extra={"error_type": type(error).__name__})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval)


@contextlib.asynccontextmanager
async def running(escalatie: Escalatie) -> AsyncIterator[Escalatie]:
    """Started on enter; on exit stopped between runs (a run in progress finishes)."""
    async with running_in_background(escalatie, name="meldingen-escalatie"):
        yield escalatie
