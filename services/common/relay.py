"""The outbox relay: publishes committed outbox rows to NATS JetStream, oldest first.

Claiming: one transaction selects a batch of unpublished rows, publishes them, waits for each
PubAck and marks the acknowledged rows published before it commits. On PostgreSQL the batch is
selected `FOR UPDATE SKIP LOCKED`, so relays on several replicas each take different rows and
never publish one row concurrently. On SQLite every transaction begins `BEGIN IMMEDIATE`
(services.common.db): the relay holds the single write lock while it publishes a batch, so two
relays over one SQLite file serialise; the price is that writers wait for that batch's acks
(bounded by the publish timeout). A crash between the ack and the commit republishes the row
with the same `Nats-Msg-Id`, which the stream's duplicate window drops.

Waking: a commit that carried an event calls `OutboxRelay.wake` (services.common.outbox); a
relay run apart is woken by the commits' PostgreSQL NOTIFY; a slow fallback poll picks up
rows that another replica wrote. While NATS is unreachable the relay
backs off exponentially with full jitter; the changes themselves keep committing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import signal
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from nats.aio.client import Client
from nats.js import JetStreamContext
from sqlalchemy import Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from services.common import nats as weerbaar_nats
from services.common.background import running_in_background
from services.common.db import create_engine_for, database_target, session_factory
from services.common.outbox import notify_channel
from services.common.settings import ServiceSettings
from services.common.types import utcnow

log = logging.getLogger("weerbaar.relay")


@dataclass
class RelayStats:
    published: int = 0
    failures: int = 0
    connected: bool = False


@dataclass
class OutboxRelay:
    service: str
    table: Table
    sessions: async_sessionmaker[AsyncSession]
    settings: ServiceSettings
    # A relay run apart LISTENs on PostgreSQL for the commits' NOTIFY; in process it is woken
    # directly (a listener makes every notifying commit slower: benchmarks/outbox.py).
    engine: AsyncEngine | None = None
    stats: RelayStats = field(default_factory=RelayStats)
    _signal: asyncio.Event = field(default_factory=asyncio.Event)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    _last_prune: float = 0.0

    def wake(self) -> None:
        """Called after a commit that wrote an event; must be called on the loop's thread."""
        self._signal.set()

    def stop(self) -> None:
        self._stopping.set()
        self._signal.set()

    # ---- the loop ---------------------------------------------------------------------------

    async def run(self) -> None:
        attempt = 0
        while not self._stopping.is_set():
            client: Client | None = None
            try:
                client = await self._unless_stopped(
                    weerbaar_nats.connect(
                        self.settings.nats_url, name=f"weerbaar-{self.service}-relay"
                    )
                )
                if client is None:
                    return
                js = client.jetstream(timeout=self.settings.outbox_publish_timeout_seconds)
                await weerbaar_nats.ensure_stream(js)
                self.stats.connected = True
                if attempt:
                    log.info("relay connected to NATS again", extra={"service": self.service})
                attempt = 0
                async with self._listening():
                    await self._serve(client, js)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # NATS or database unreachable: back off, never crash
                self.stats.connected = False
                self.stats.failures += 1
                attempt += 1
                log.warning(
                    "relay cannot publish, retrying",
                    extra={"service": self.service, "error_type": type(error).__name__},
                )
                await self._sleep(self._backoff(attempt))
            finally:
                self.stats.connected = False
                if client is not None:
                    with contextlib.suppress(Exception):
                        await client.close()

    async def _serve(self, client: Client, js: JetStreamContext) -> None:
        while not self._stopping.is_set():
            if client.is_closed:
                raise ConnectionError("NATS connection closed")
            # Clear before draining: a commit during the drain sets it again, nothing is lost.
            self._signal.clear()
            while await self.publish_batch(js) >= self.settings.outbox_batch_size:
                pass
            await self._prune_now_and_then()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._signal.wait(), self.settings.outbox_poll_seconds)

    @contextlib.asynccontextmanager
    async def _listening(self) -> AsyncIterator[None]:
        """On PostgreSQL, wake on the NOTIFY that a commit with events sends (any process)."""
        if self.engine is None or self.engine.dialect.name != "postgresql":
            yield
            return
        channel = notify_channel(self.table)
        connection: AsyncConnection = await self.engine.connect()
        try:
            raw = (await connection.get_raw_connection()).driver_connection
            assert raw is not None

            def on_notify(*_args: object) -> None:
                self._signal.set()

            await raw.add_listener(channel, on_notify)
            self._signal.set()  # rows may have come while nobody listened
            yield
        finally:
            with contextlib.suppress(Exception):
                await connection.invalidate()  # LISTEN state must not return to the pool
            with contextlib.suppress(Exception):
                await connection.close()

    def _backoff(self, attempt: int) -> float:
        low = self.settings.relay_backoff_min_seconds
        high = max(low, self.settings.relay_backoff_max_seconds)
        ceiling = min(high, low * 2 ** min(attempt, 30))
        return random.uniform(low, ceiling)  # noqa: S311  (jitter, not a secret)

    async def _unless_stopped(self, connecting: Awaitable[Client]) -> Client | None:
        """The connection, or None when the relay is stopped first: a NATS that does not
        answer never holds up the process's shutdown."""
        attempt = asyncio.ensure_future(connecting)
        stopped = asyncio.ensure_future(self._stopping.wait())
        done, _ = await asyncio.wait({attempt, stopped}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
        if attempt in done:
            return attempt.result()
        attempt.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await attempt
        return None

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    # ---- one batch --------------------------------------------------------------------------

    async def publish_batch(self, js: JetStreamContext) -> int:
        """Publish up to one batch; returns how many rows it claimed. Raises when any publish
        failed (after marking the acknowledged ones), so the caller backs off."""
        table = self.table
        async with self.sessions() as session, session.begin():
            rows = (
                await session.execute(
                    select(table.c.seq, table.c.event_id, table.c.subject, table.c.envelope)
                    .add_columns(table.c.reach)
                    .where(table.c.published_at.is_(None))
                    .order_by(table.c.seq)
                    .limit(self.settings.outbox_batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            # Pipelined on one connection: the server stores them in this order.
            results = await asyncio.gather(
                *(self._publish(js, row) for row in rows), return_exceptions=True
            )
            acked = [row.seq for row, result in zip(rows, results, strict=True) if result is None]
            if acked:
                await session.execute(
                    update(table).where(table.c.seq.in_(acked)).values(published_at=utcnow())
                )
            self.stats.published += len(acked)
        failed = [result for result in results if isinstance(result, BaseException)]
        if failed:
            raise failed[0]
        return len(rows)

    async def _publish(self, js: JetStreamContext, row: Any) -> None:
        await js.publish(
            row.subject,
            row.envelope.encode("utf-8"),
            headers={
                weerbaar_nats.MSG_ID_HEADER: str(row.event_id),
                weerbaar_nats.REACH_HEADER: row.reach,
            },
        )

    async def _prune_now_and_then(self) -> None:
        loop = asyncio.get_running_loop()
        if loop.time() - self._last_prune < min(3600.0, max(1.0, self._prune_age() / 10)):
            return
        self._last_prune = loop.time()
        await self.prune()

    def _prune_age(self) -> float:
        return float(self.settings.outbox_prune_seconds)

    async def prune(self) -> int:
        """Delete rows published longer than `outbox_prune_seconds` ago."""
        cutoff = utcnow() - timedelta(seconds=self._prune_age())
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                delete(self.table).where(
                    self.table.c.published_at.is_not(None), self.table.c.published_at < cutoff
                )
            )
        return int(getattr(result, "rowcount", 0) or 0)


@contextlib.asynccontextmanager
async def running_relay(relay: OutboxRelay) -> AsyncIterator[OutboxRelay]:
    """The relay as a background task: started on enter, stopped cleanly on exit."""
    async with running_in_background(relay, name=f"outbox-relay-{relay.service}"):
        yield relay


async def run_standalone(
    settings: ServiceSettings, *, service: str, schema: str, table: Table
) -> None:
    """`python -m services.<svc> relay`: the relay alone, until SIGTERM or SIGINT.

    Run the services with WEERBAAR_OUTBOX_RELAY=false then. On PostgreSQL the commits' NOTIFY
    wakes it at once; on SQLite (development only) the fallback poll does.
    """
    engine = create_engine_for(
        database_target(settings, service=service, schema=schema), pool_size=2
    )
    relay = OutboxRelay(service, table, session_factory(engine), settings, engine=engine)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, relay.stop)
    try:
        log.info("relay started", extra={"service": service})
        await relay.run()
    finally:
        await engine.dispose()
