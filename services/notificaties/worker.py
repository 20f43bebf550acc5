"""The background work of notificaties: the stream consumer and the deliverer.

Runs inside the service process (the app's lifespan) or alone as
`python -m services.notificaties consume`; either way it stops cleanly on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.crypto import KeyRing
from services.notificaties.aflevering.bezorger import Bezorger
from services.notificaties.config import NotificatiesSettings
from services.notificaties.gebeurtenis.consumer import Consumer

SHUTDOWN_SECONDS = 10.0


@contextlib.asynccontextmanager
async def running(
    sessions: async_sessionmaker[AsyncSession],
    settings: NotificatiesSettings,
    key_ring: KeyRing,
) -> AsyncIterator[Bezorger]:
    bezorger = Bezorger(sessions, settings, key_ring)
    consumer = Consumer(sessions, settings, key_ring, on_stored=bezorger.wake)
    tasks = [
        asyncio.create_task(consumer.run(), name="notificaties-consumer"),
        asyncio.create_task(bezorger.run(), name="notificaties-bezorger"),
    ]
    try:
        yield bezorger
    finally:
        consumer.stop()
        bezorger.stop()
        _done, pending = await asyncio.wait(tasks, timeout=SHUTDOWN_SECONDS)
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
