"""The durable JetStream pull consumer: store each batch of events, and only then ack it.

One fetch (up to `BATCH` messages, in stream order) is stored in one transaction: one dedup
query, one read of the subscriptions, one commit, then every message acked. A batch that does
not store is retried message by message, each in its own transaction, so one event the
database refuses cannot hold up the others; a message that still fails is nak'ed and comes back.

Stream and subjects follow docs/events.md: stream `WEERBAAR` on `weerbaar.>`,
created here when missing (file storage, 7 days, 1 GiB, 2 minute duplicate window). While NATS
is unreachable the consumer waits with backoff; nothing is acked that is not stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.crypto import KeyRing
from services.common.nats import (
    REACH_HEADER,
    STREAM,
    STREAM_SUBJECTS,
    ensure_stream,
    quiet_errors,
)
from services.notificaties.config import NotificatiesSettings
from services.notificaties.gebeurtenis import service

logger = logging.getLogger("weerbaar.notificaties.consumer")

BEREIK_HEADER = REACH_HEADER
BATCH = 64


class Consumer:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: NotificatiesSettings,
        key_ring: KeyRing,
        on_stored: Callable[[], None],
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.key_ring = key_ring
        self.on_stored = on_stored
        self._stop = asyncio.Event()

    def stop(self) -> None:
        self._stop.set()

    async def run(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            try:
                await self._session()
                backoff = 0.5
            except Exception as exc:  # NATS or the database away: wait and try again
                if self._stop.is_set():
                    return
                logger.warning("consumer interrupted", extra={"error_type": type(exc).__name__})
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=backoff)
                backoff = min(backoff * 2, 30.0)

    async def _session(self) -> None:
        nc: Client = await nats.connect(
            self.settings.nats_url,
            connect_timeout=2,
            allow_reconnect=True,
            max_reconnect_attempts=-1,
            reconnect_time_wait=1,
            name="notificaties",
            error_cb=quiet_errors,
        )
        try:
            js = nc.jetstream()
            await ensure_stream(js)
            subscription = await js.pull_subscribe(
                STREAM_SUBJECTS[0],
                durable=self.settings.nats_durable,
                stream=STREAM,
                config=ConsumerConfig(
                    durable_name=self.settings.nats_durable,
                    ack_policy=AckPolicy.EXPLICIT,
                    deliver_policy=DeliverPolicy.ALL,
                    ack_wait=self.settings.nats_ack_wait_seconds,
                    max_deliver=-1,
                    max_ack_pending=1000,
                ),
            )
            while not self._stop.is_set():
                try:
                    messages = await subscription.fetch(BATCH, timeout=1)
                except nats.errors.TimeoutError:
                    continue
                await self._handle_batch(messages)
        finally:
            with contextlib.suppress(Exception):
                await nc.close()

    async def _handle_batch(self, messages: list[Msg]) -> None:
        gelezen: list[tuple[Msg, service.Binnenkomst]] = []
        for message in messages:
            binnenkomst = await self._lees(message)
            if binnenkomst is not None:
                gelezen.append((message, binnenkomst))
        if not gelezen:
            return
        try:
            async with self.sessions() as session, session.begin():
                planned = await service.opslaan_alle(
                    session, self.key_ring, [binnenkomst for _, binnenkomst in gelezen]
                )
        except Exception as exc:
            logger.warning("batch not stored, one by one", extra={"error_type": type(exc).__name__})
            for index, (message, binnenkomst) in enumerate(gelezen):
                try:
                    await self._handle(message, binnenkomst)
                except Exception:
                    # The database is away: have the rest again soon, never lose them.
                    for later, _ in gelezen[index + 1 :]:
                        with contextlib.suppress(Exception):
                            await later.nak(delay=1)
                    raise
            return
        # After the commit: a crash in between means a redelivery, deduped by the event id.
        await asyncio.gather(*(message.ack() for message, _ in gelezen))
        if planned:
            self.on_stored()

    async def _lees(self, message: Msg) -> service.Binnenkomst | None:
        headers = message.headers or {}
        try:
            return service.lees(message.data, headers.get(BEREIK_HEADER))
        except service.OngeldigeGebeurtenis as exc:
            # Not ours or malformed: retrying will not help. Logged without content.
            logger.warning("event dropped", extra={"reason": str(exc)})
            await message.term()
            return None

    async def _handle(self, message: Msg, binnenkomst: service.Binnenkomst) -> None:
        try:
            async with self.sessions() as session, session.begin():
                planned = await service.opslaan(session, self.key_ring, binnenkomst)
        except Exception:
            await message.nak(delay=1)  # not stored: have it again, never lose it
            raise
        await message.ack()
        if planned:
            self.on_stored()
