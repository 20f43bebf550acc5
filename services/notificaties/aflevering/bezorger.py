"""The deliverer: takes due deliveries from the database and sends them, never blocking.

Scheduling lives in the database (`volgende_poging_op`, a claim with a lease), not in
JetStream redelivery, so retries spanning hours survive restarts.

Per subscription one run at a time: its first due deliveries (event order, at most
`webhook_batch_size`) are claimed in one transaction, sent back to back over a kept-alive
connection, and their outcomes recorded in one transaction. The first attempt that is not
delivered ends the run; what follows it is given back and waits for that retry, so the
receiver sees the subscription's events in event order. At most `webhook_concurrency`
subscriptions are being delivered at once; a slow receiver holds its own slot only, and its
own connections (pools are per subscription, so one that hangs on a request never makes
another subscription at the same host wait for a connection). A receiver that keeps failing
trips its subscription's breaker (breaker.py): its events then wait behind one probe per
interval instead of each costing a full time limit, so dead or slow-loris receivers cannot
take the slots that live ones, and `spoed` events to handlers, need.

There is no lane of its own for `spoed` events: the contract promises event order per
subscription (DESIGN.md part D), so an acute event may not pass its subscription's earlier
events. It arrives quickly because the backlog is delivered faster than it grows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.crypto import KeyRing
from services.common.types import utcnow
from services.notificaties import callback
from services.notificaties.aflevering import repository, service, verzender
from services.notificaties.config import NotificatiesSettings
from services.notificaties.gebeurtenis import service as gebeurtenis_service

logger = logging.getLogger("weerbaar.notificaties.bezorger")
POLL_SECONDS = 1.0
COALESCE_SECONDS = 0.02
# A long run looks this often whether its subscription was switched off or deleted.
RECHECK_SECONDS = 1.0
CLEANUP_SECONDS = 3600.0
# A run stops sending this long (at most; half the lease's excess over the time limit when
# that is less) before its claim runs out, on top of one attempt's full time limit, so its
# outcomes are recorded while the claim is still its own.
CLAIM_MARGIN_SECONDS = 1.0


class Bezorger:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: NotificatiesSettings,
        key_ring: KeyRing,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.key_ring = key_ring
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._inflight: dict[asyncio.Task[None], uuid.UUID] = {}
        self._verbindingen: verzender.Verbindingen | None = None
        self._cleaned_at = 0.0

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        self._verbindingen = verzender.Verbindingen(
            max_doelen=self.settings.webhook_pool_targets,
            per_doel=self.settings.webhook_connections_per_target,
        )
        try:
            while not self._stop.is_set():
                try:
                    await self._dispatch()
                    await self._cleanup()
                except Exception as exc:  # the database may be away: try again shortly
                    logger.warning("dispatch failed", extra={"error_type": type(exc).__name__})
                # Woken by new events, replays and finished runs; retries that come due
                # are found by looking again at least every POLL_SECONDS.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=POLL_SECONDS)
                # Many events stored in a burst make one look, not one each.
                await asyncio.sleep(COALESCE_SECONDS)
                self._wake.clear()
        finally:
            await self._shutdown()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    async def _dispatch(self) -> None:
        free = self.settings.webhook_concurrency - len(self._inflight)
        if free <= 0:
            return
        async with self.sessions() as session, session.begin():
            kandidaten = await repository.due_abonnementen(
                session, nu=utcnow(), limit=free, behalve=set(self._inflight.values())
            )
        for abonnement_id in kandidaten:
            geclaimd = await self._claim(abonnement_id)
            if geclaimd is None:
                continue
            task = asyncio.create_task(self._baan(abonnement_id, *geclaimd))
            self._inflight[task] = abonnement_id
            task.add_done_callback(self._klaar)

    async def _claim(self, abonnement_id: uuid.UUID) -> tuple[service.Reeks, float] | None:
        """One short transaction per subscription: a claim never waits for another's."""
        lease = self.settings.webhook_lease_seconds
        nu = utcnow()
        started = time.monotonic()
        async with self.sessions() as session, session.begin():
            reeks = await service.claim_reeks(
                session,
                self.key_ring,
                abonnement_id,
                nu=nu,
                tot=nu + timedelta(seconds=lease),
                limit=self.settings.webhook_batch_size,
            )
        return None if reeks is None else (reeks, started + lease)

    async def _baan(self, abonnement_id: uuid.UUID, reeks: service.Reeks, ends: float) -> None:
        """Deliver one subscription run after run, while it has due deliveries."""
        while True:
            await self._bezorg(reeks, ends)
            if self._stop.is_set():
                return
            try:
                geclaimd = await self._claim(abonnement_id)
            except Exception as exc:  # the database may be away: the dispatcher tries again
                logger.warning("claim failed", extra={"error_type": type(exc).__name__})
                return
            if geclaimd is None:
                return
            reeks, ends = geclaimd

    async def _cleanup(self) -> None:
        now = asyncio.get_running_loop().time()
        if now - self._cleaned_at < CLEANUP_SECONDS:
            return
        self._cleaned_at = now
        async with self.sessions() as session, session.begin():
            await gebeurtenis_service.ruim_op(
                session, bewaartermijn_seconden=self.settings.bewaartermijn_seconden
            )

    def _klaar(self, task: asyncio.Task[None]) -> None:
        self._inflight.pop(task, None)
        self._wake.set()  # a slot is free for another subscription

    async def _bezorg(self, reeks: service.Reeks, claim_ends: float) -> None:
        uitkomsten: dict[uuid.UUID, verzender.Uitkomst] = {}
        cancelled = False
        try:
            await self._verstuur(reeks, claim_ends, uitkomsten)
        except asyncio.CancelledError:
            # Shutting down: what was answered is still recorded, the rest given back, so
            # the next process neither repeats the former nor waits for the claim to end.
            cancelled = True
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()
        except Exception as exc:
            logger.warning("delivery failed", extra={"error_type": type(exc).__name__})
        try:
            async with self.sessions() as session, session.begin():
                await service.leg_reeks_vast(
                    session,
                    reeks,
                    uitkomsten,
                    self.settings.webhook_retry_schedule,
                    drempel=self.settings.webhook_breaker_threshold,
                )
        except Exception as exc:  # the claim runs out and the run is tried again
            logger.warning("recording failed", extra={"error_type": type(exc).__name__})
        if cancelled:
            raise asyncio.CancelledError

    async def _verstuur(
        self,
        reeks: service.Reeks,
        claim_ends: float,
        uitkomsten: dict[uuid.UUID, verzender.Uitkomst],
    ) -> None:
        timeout = self.settings.webhook_timeout_seconds
        margin = min(CLAIM_MARGIN_SECONDS, (self.settings.webhook_lease_seconds - timeout) / 2)
        first = True
        checked = time.monotonic()
        for zending in reeks.zendingen:
            if not zending.in_bereik:
                continue  # dropped when recorded; no attempt, nothing counted
            if time.monotonic() - checked > RECHECK_SECONDS:
                # Switched off or deleted while the run goes: stop within about a second.
                async with self.sessions() as session:
                    if not await repository.is_actief(session, reeks.abonnement_id):
                        return
                checked = time.monotonic()
            # The lease outlives one attempt (checked at start-up); a later one must also
            # end, at its time limit, before the claim does.
            if not first and time.monotonic() + timeout + margin > claim_ends:
                return  # the rest is given back and claimed again at once
            first = False
            uitkomst = await self._post(reeks, zending)
            uitkomsten[zending.aflevering_id] = uitkomst
            if not uitkomst.geslaagd:
                return  # nothing passes a delivery that waits for its retry

    async def _post(self, reeks: service.Reeks, zending: service.Zending) -> verzender.Uitkomst:
        try:
            doel = await callback.check(
                reeks.url,
                allowed_hosts=self.settings.allowed_hosts,
                https_required=self.settings.https_required,
            )
        except callback.CallbackRefused:
            # Re-checked at every delivery: a name that now points inside is not called.
            return verzender.Uitkomst(None, 0, "geweigerd")
        assert self._verbindingen is not None
        async with self._verbindingen.voor(reeks.abonnement_id, doel) as http:
            return await verzender.verstuur(
                http,
                doel,
                event_id=zending.event_id,
                body=zending.body,
                secrets=reeks.secrets,
                tijdslimiet=self.settings.webhook_timeout_seconds,
                max_response_bytes=self.settings.webhook_max_response_bytes,
            )

    async def _shutdown(self) -> None:
        # Runs in flight are cut off; each records what was answered and gives back the rest
        # (after a crash instead, the claims run out).
        for task in list(self._inflight):
            task.cancel()
        await asyncio.gather(*self._inflight, return_exceptions=True)
        if self._verbindingen is not None:
            await self._verbindingen.aclose()
