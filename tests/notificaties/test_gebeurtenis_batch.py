"""The consumer stores a fetched batch in one transaction: each event once, in stream order.

Through a real nats-server: a burst of events (with a republish without `Nats-Msg-Id`, which
the stream keeps, and a malformed message) arrives in batches; every event is stored once, in
the order published, and delivered once. And the batch rule alone: duplicates inside a batch
and ids stored before are skipped, the rest get consecutive numbers in the order given.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from typing import Any

import nats
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import col

from services.common.crypto import load_key_ring
from services.common.db import create_engine_for, session_factory
from services.common.nats import ensure_stream
from services.notificaties.aflevering.models import Aflevering
from services.notificaties.config import NotificatiesSettings
from services.notificaties.gebeurtenis import service
from services.notificaties.gebeurtenis.models import Gebeurtenis
from tests.conftest import Backend, DevIdp
from tests.notificaties.conftest import BASE
from tests.notificaties.support import Receiver, _publish, envelope
from tests.support.nats import NatsServer
from tests.support.waiting import wait_until

# A type no other test subscribes to: the session's worker keeps every earlier test's
# subscriptions, among them ones whose endpoints hold a request past its time limit or stream
# forever; 150 `artikel-gepubliceerd` events would be tried at each of those too (a second a
# try), and this test would measure how the deliverer shares its slots with them.
KENNISBANK = "nl.weerbaarbestuur.kennisbank.artikel-gearchiveerd"


@pytest.fixture
def partner(devidp: DevIdp, unique_sub: Callable[[str], str]) -> dict[str, str]:
    return devidp.headers(unique_sub("partner"), ["redacteur"], "OWB")


def _abonneer(client: TestClient, headers: dict[str, str], url: str) -> str:
    body = {"callbackUrl": url, "types": [KENNISBANK]}
    response = client.post(f"{BASE}/abonnementen", json=body, headers=headers)
    assert response.status_code == 201, response.text
    abonnement_id: str = response.json()["id"]
    return abonnement_id


def _stored(backend: Backend, ids: list[str]) -> list[tuple[str, int]]:
    """(id, volgnummer) of these events as stored, in volgnummer order."""

    async def run() -> list[tuple[str, int]]:
        engine = create_engine_for(backend.target("notificaties"), pool_size=1)
        try:
            async with session_factory(engine)() as session:
                rows = (
                    await session.execute(
                        select(col(Gebeurtenis.id), col(Gebeurtenis.volgnummer))
                        .where(col(Gebeurtenis.id).in_([uuid.UUID(i) for i in ids]))
                        .order_by(col(Gebeurtenis.volgnummer))
                    )
                ).all()
        finally:
            await engine.dispose()
        return [(str(row[0]), int(row[1])) for row in rows]

    return asyncio.run(run())


async def _publish_malformed(url: str) -> None:
    nc = await nats.connect(url, connect_timeout=5)
    try:
        js = nc.jetstream()
        await ensure_stream(js)
        await js.publish("weerbaar.kennisbank.artikel-gepubliceerd", b"not json")
    finally:
        await nc.close()


def test_a_burst_is_stored_once_in_stream_order_and_delivered_once(
    worker_client: TestClient,
    backend: Backend,
    partner: dict[str, str],
    receiver: Receiver,
    nats_server: NatsServer,
) -> None:
    url = receiver.url()
    _abonneer(worker_client, partner, url)
    events = [envelope(KENNISBANK, slug=f"s{n}") for n in range(150)]
    messages: list[tuple[dict[str, Any], dict[str, Any] | None, bool]] = [
        (event, {}, True) for event in events
    ]
    # The relay's republish after a crash, past the duplicate window: same id, no Msg-Id.
    messages.insert(75, (events[10], {}, False))
    asyncio.run(_publish_malformed(nats_server.url))
    asyncio.run(_publish(nats_server.url, messages))
    ids = [event["id"] for event in events]

    # Generous bounds: this proves that everything arrives once and in order, not how fast
    # (benchmarks/events.py measures that); a loaded CI machine took ~31 s for the delivery.
    wait_until(
        lambda: len(_stored(backend, ids)) == len(ids), what="every event stored", timeout=120
    )
    assert [event_id for event_id, _ in _stored(backend, ids)] == ids  # stream order, once each
    wait_until(lambda: len(receiver.at(url)) >= len(ids), what="every event delivered", timeout=120)
    assert sorted(json.loads(r.body)["id"] for r in receiver.at(url)) == sorted(ids)


def test_a_batch_skips_what_is_stored_and_numbers_the_rest_in_order(
    client: TestClient, backend: Backend, partner: dict[str, str]
) -> None:
    abonnement_id = uuid.UUID(_abonneer(client, partner, "http://localhost:9/batch"))
    settings = NotificatiesSettings(**backend.settings_kwargs(), env="test")
    key_ring = load_key_ring(settings)
    first, second, third = (envelope(KENNISBANK, slug=s) for s in ("a", "b", "c"))

    def binnenkomst(event: dict[str, object]) -> service.Binnenkomst:
        return service.lees(json.dumps(event).encode(), "{}")

    async def run() -> tuple[int, int, int]:
        engine = create_engine_for(backend.target("notificaties"), pool_size=1)
        sessions = session_factory(engine)
        try:
            async with sessions() as session, session.begin():
                await service.opslaan(session, key_ring, binnenkomst(second))
            async with sessions() as session, session.begin():
                planned = await service.opslaan_alle(
                    session,
                    key_ring,
                    [binnenkomst(e) for e in (first, second, first, third, second)],
                )
            async with sessions() as session, session.begin():
                again = await service.opslaan_alle(
                    session, key_ring, [binnenkomst(e) for e in (third, first)]
                )
            async with sessions() as session:
                mine = await session.scalar(
                    select(func.count())
                    .select_from(Aflevering)
                    .where(col(Aflevering.abonnement_id) == abonnement_id)
                )
        finally:
            await engine.dispose()
        return planned, again, int(mine or 0)

    planned, again, mine = asyncio.run(run())
    stored = _stored(backend, [str(e["id"]) for e in (first, second, third)])
    assert [event_id for event_id, _ in stored] == [second["id"], first["id"], third["id"]]
    numbers = [number for _, number in stored]
    assert numbers[2] == numbers[1] + 1  # one batch: consecutive, in the order given
    assert planned >= 2  # first and third, for this subscription at least
    assert again == 0  # all stored already: nothing planned twice
    assert mine == 3  # one delivery per event for this subscription
