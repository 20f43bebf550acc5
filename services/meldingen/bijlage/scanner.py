"""The virus scan, after the 201: a worker inside the service process.

Pending attachments live in the database (`scanstatus = in_afwachting`), so a restart loses
nothing: the worker starts with whatever is still pending. A new upload wakes it at once;
otherwise it looks again every `poll_seconds` (uploads that reached another replica). While
clamd is unreachable, files stay `in_afwachting` and the worker retries with exponential
backoff; nothing ever becomes `schoon` without clamd saying so. `besmet` erases the content
in the verdict's own transaction; the hash, the metadata and the signature's name stay.

Several replicas may scan the same file at the same moment: harmless, the verdict is only
written from `in_afwachting`, so the first one stands.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.clamav import ClamdClient, ClamdUnavailable
from services.common.crypto import KeyRing
from services.common.types import utcnow
from services.meldingen.bijlage import repository
from services.meldingen.bijlage.enums import Scanstatus
from services.meldingen.bijlage.service import inhoud

logger = logging.getLogger("weerbaar.meldingen.bijlage.scan")
STATE_KEY = "bijlage_scanner"


class Scanner:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        key_ring: KeyRing,
        client: ClamdClient,
        *,
        poll_seconds: float = 30.0,
        backoff_start: float = 0.5,
        backoff_max: float = 30.0,
    ) -> None:
        self.sessions = sessions
        self.key_ring = key_ring
        self.client = client
        self.poll_seconds = poll_seconds
        self.backoff_start = backoff_start
        self.backoff_max = backoff_max
        self._wake = asyncio.Event()
        self.failed_attempts = 0  # attempts that got no verdict (clamd down): for health/tests

    def wake(self) -> None:
        self._wake.set()

    async def _pending(self) -> list[uuid.UUID]:
        async with self.sessions() as session:
            ids = list(await repository.wachtend_op_scan(session, limit=50))
            await session.rollback()
        return ids

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        self._wake.clear()

    async def run(self) -> None:
        backoff = self.backoff_start
        while True:
            try:
                pending = await self._pending()
                for bijlage_id in pending:
                    await self.scan_one(bijlage_id)
                backoff = self.backoff_start
                if not pending:
                    await self._sleep(self.poll_seconds)
            except ClamdUnavailable as exc:
                self.failed_attempts += 1
                logger.warning("clamd unavailable, retrying in %.1fs: %s", backoff, exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.backoff_max)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # never let one bad row or a database hiccup end the worker
                logger.error("scan failed", extra={"error_type": type(exc).__name__})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.backoff_max)

    async def scan_one(self, bijlage_id: uuid.UUID) -> None:
        async with self.sessions() as session:
            # Closing the session (not a rollback, which expires it) keeps the row's values.
            bijlage = await repository.get_by_id(session, bijlage_id)
        if bijlage is None or bijlage.scanstatus != Scanstatus.in_afwachting:
            return
        result = await self.client.scan(inhoud(self.sessions, self.key_ring, bijlage))
        async with self.sessions() as session:
            if result.clean:
                values = {"scanstatus": Scanstatus.schoon.value, "gescand_op": utcnow()}
            else:
                now = utcnow()
                values = {
                    "scanstatus": Scanstatus.besmet.value,
                    "gescand_op": now,
                    "virusnaam": (result.signature or "onbekend")[:200],
                    "sleutel": None,
                    "delen": 0,
                    "inhoud_gewist_op": now,
                }
            changed = await repository.set_scanstatus(
                session, bijlage_id, van=Scanstatus.in_afwachting.value, values=values
            )
            if changed and not result.clean:
                await repository.wis_inhoud(session, bijlage_id)
            await session.commit()
        if not result.clean:
            logger.warning("infected attachment erased", extra={"signature": result.signature})


@asynccontextmanager
async def running(scanner: Scanner) -> AsyncIterator[Scanner]:
    task = asyncio.create_task(scanner.run(), name="bijlage-scanner")
    try:
        yield scanner
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
