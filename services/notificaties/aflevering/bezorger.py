"""The deliverer: takes due deliveries from the database and sends them, never blocking.

Scheduling lives in the database (`volgende_poging_op`, a claim with a lease), not in
JetStream redelivery, so retries spanning hours survive restarts. Per subscription only the
first `webhook_concurrency_per_subscription` open deliveries (in event order) are eligible;
in total at most `webhook_concurrency` are in flight. A slow receiver holds its own slot only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.crypto import KeyRing
from services.common.types import utcnow
from services.notificaties import callback
from services.notificaties.abonnement import repository as abonnementen
from services.notificaties.abonnement import service as abonnement_service
from services.notificaties.aflevering import repository, service, verzender
from services.notificaties.aflevering.states import OPEN
from services.notificaties.config import NotificatiesSettings
from services.notificaties.gebeurtenis import repository as gebeurtenissen
from services.notificaties.gebeurtenis import service as gebeurtenis_service

logger = logging.getLogger("weerbaar.notificaties.bezorger")
POLL_SECONDS = 1.0
CLEANUP_SECONDS = 3600.0


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
        self._slots = asyncio.Semaphore(settings.webhook_concurrency)
        self._http: httpx.AsyncClient | None = None
        self._cleaned_at = 0.0

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        self._http = verzender.client()
        try:
            while not self._stop.is_set():
                try:
                    await self._dispatch()
                    await self._cleanup()
                except Exception as exc:  # the database may be away: try again shortly
                    logger.warning("dispatch failed", extra={"error_type": type(exc).__name__})
                # Woken by new events, replays and finished attempts; retries that come due
                # are found by looking again at least every POLL_SECONDS.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=POLL_SECONDS)
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
        nu = utcnow()
        tot = nu + timedelta(seconds=self.settings.webhook_lease_seconds)
        async with self.sessions() as session, session.begin():
            kandidaten = await repository.due(
                session,
                nu=nu,
                per_abonnement=self.settings.webhook_concurrency_per_subscription,
                limit=free,
            )
            genomen = [a for a in kandidaten if await repository.claim(session, a, nu=nu, tot=tot)]
        for aflevering_id in genomen:
            task = asyncio.create_task(self._bezorg(aflevering_id))
            self._inflight[task] = aflevering_id
            task.add_done_callback(self._klaar)

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
        self._wake.set()  # the next one of this subscription may go now

    async def _bezorg(self, aflevering_id: uuid.UUID) -> None:
        async with self._slots:
            try:
                await self._probeer(aflevering_id)
            except Exception as exc:  # the claim runs out and the delivery is tried again
                logger.warning("delivery failed", extra={"error_type": type(exc).__name__})

    async def _probeer(self, aflevering_id: uuid.UUID) -> None:
        async with self.sessions() as session, session.begin():
            aflevering = await repository.get(session, aflevering_id)
            if aflevering is None or aflevering.status not in OPEN:
                return
            abonnement = await abonnementen.get(session, aflevering.abonnement_id)
            gebeurtenis = await gebeurtenissen.get(session, aflevering.gebeurtenis_id)
            if abonnement is None or gebeurtenis is None:
                return
            if not abonnement.actief:
                await service.geef_vrij(session, aflevering)
                return
            bereik = gebeurtenis_service.bereik_van(self.key_ring, gebeurtenis)
            # Reach is decided now, with the roles the subscription holds now.
            if not gebeurtenis_service.wil_en_mag(
                abonnement, gebeurtenis.type, bereik, gebeurtenis.envelope
            ):
                await service.vervalt(session, aflevering)
                return
            geheimen = abonnement_service.geheimen(self.key_ring, abonnement, nu=utcnow())
            url = abonnement.callback_url
            body = gebeurtenis.envelope
            event_id = str(gebeurtenis.id)
        uitkomst = await self._post(
            url, event_id, body, [geheimen.huidig, *filter(None, [geheimen.vorig])]
        )
        async with self.sessions() as session, session.begin():
            aflevering = await repository.get(session, aflevering_id)
            if aflevering is None or aflevering.status not in OPEN:
                return  # the subscription was deleted meanwhile
            await service.leg_vast(
                session, aflevering, uitkomst, self.settings.webhook_retry_schedule
            )

    async def _post(
        self, url: str, event_id: str, body: str, secrets: list[str]
    ) -> verzender.Uitkomst:
        try:
            doel = await callback.check(
                url,
                allowed_hosts=self.settings.allowed_hosts,
                https_required=self.settings.https_required,
            )
        except callback.CallbackRefused:
            # Re-checked at every delivery: a name that now points inside is not called.
            return verzender.Uitkomst(None, 0, "geweigerd")
        assert self._http is not None
        return await verzender.verstuur(
            self._http,
            doel,
            event_id=event_id,
            body=body,
            secrets=secrets,
            tijdslimiet=self.settings.webhook_timeout_seconds,
            max_response_bytes=self.settings.webhook_max_response_bytes,
        )

    async def _shutdown(self) -> None:
        # Attempts in flight are cut off and their claims given back, so the next process
        # sends them at once (after a crash instead, the claims run out).
        cut_off = list(self._inflight.values())
        for task in list(self._inflight):
            task.cancel()
        await asyncio.gather(*self._inflight, return_exceptions=True)
        if cut_off:
            with contextlib.suppress(Exception):
                async with self.sessions() as session, session.begin():
                    await repository.release(session, cut_off)
        if self._http is not None:
            await self._http.aclose()
