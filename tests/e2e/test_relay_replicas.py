"""Two relays over one PostgreSQL outbox (two replicas): no row is ever published twice.

A core NATS subscription sees every publish, including those JetStream's duplicate window
would silently drop, so it catches a double publish that the stream would hide.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import nats
import pytest

from services.common.db import DatabaseTarget, create_engine_for, session_factory
from services.common.outbox import outbox_session_info, record_event
from services.common.relay import OutboxRelay, running_relay
from services.meldingen.config import MeldingenSettings
from services.meldingen.events import uitgaande_gebeurtenis
from tests.conftest import Backend
from tests.meldingen.db import query
from tests.support.nats import NatsServer

pytestmark = [pytest.mark.e2e, pytest.mark.postgres_only]
EVENTS = 300


async def _two_relays(
    backend: Backend, target: DatabaseTarget, server: NatsServer, marker: str
) -> Counter[str]:
    settings = MeldingenSettings(
        **{**backend.settings_kwargs(), "nats_url": server.url},
        env="test",
        outbox_batch_size=20,  # many small batches: many chances to collide
        outbox_poll_seconds=0.05,  # neither relay is woken by these commits: both poll
        relay_backoff_min_seconds=0.05,
        relay_backoff_max_seconds=0.5,
    )
    engines = [create_engine_for(target, pool_size=4) for _ in range(3)]
    seen: Counter[str] = Counter()
    all_seen = asyncio.Event()
    client = await nats.connect(server.url)

    async def on_message(message: nats.aio.msg.Msg) -> None:
        if message.subject.endswith(marker):
            seen[(message.headers or {})["Nats-Msg-Id"]] += 1
            if len(seen) >= EVENTS:
                all_seen.set()

    await client.subscribe("weerbaar.meldingen.>", cb=on_message)
    try:
        relays = [
            OutboxRelay("meldingen", uitgaande_gebeurtenis, session_factory(e), settings)
            for e in engines[:2]
        ]
        writer = session_factory(engines[2])
        writer.configure(info=outbox_session_info(public_base_url="http://127.0.0.1:8000"))
        async with running_relay(relays[0]), running_relay(relays[1]):
            for start in range(0, EVENTS, 10):
                async with writer() as session:
                    for number in range(start, start + 10):
                        record_event(
                            session,
                            table=uitgaande_gebeurtenis,
                            service="meldingen",
                            type=marker,
                            subject=f"proef-{number}",
                            path=f"/proef/{number}",
                            data={"nummer": number},
                            reach={},
                        )
                    await session.commit()
            await asyncio.wait_for(all_seen.wait(), timeout=60)
        # Both relays have stopped (any batch in flight finished): after the PING/PONG of a
        # flush, every copy the server routed to this subscription has arrived.
        await client.flush()
        assert relays[0].stats.published > 0, "both relays must have taken part"
        assert relays[1].stats.published > 0, "both relays must have taken part"
        return seen
    finally:
        await client.close()
        for engine in engines:
            await engine.dispose()


def test_two_relays_never_publish_one_row_twice(
    postgres_backend: Backend, nats_server: NatsServer
) -> None:
    marker = "relay-proef-" + uuid.uuid4().hex[:8]
    target = postgres_backend.migrate("meldingen")
    seen = asyncio.run(_two_relays(postgres_backend, target, nats_server, marker))
    assert len(seen) == EVENTS
    assert set(seen.values()) == {1}
    left = query(
        postgres_backend,
        "SELECT count(*) AS n FROM meldingen.uitgaande_gebeurtenis "
        "WHERE published_at IS NULL AND subject LIKE :s",
        s=f"%{marker}",
    )
    assert left[0]["n"] == 0
