"""The relay against a real nats-server: each committed event reaches JetStream exactly once.

The service runs in-process (TestClient) with its relay pointed at the session's own
nats-server; the test reads the stream with its own JetStream consumer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import report
from tests.meldingen.db import query
from tests.support.nats import NatsServer, Received, events_by_id, read_stream
from tests.support.waiting import wait_until

BASE = "/api/meldingen/v1"
pytestmark = pytest.mark.e2e


def relay_client(
    backend: Backend, service_client: Callable[..., TestClient], server: NatsServer, **extra: Any
) -> TestClient:
    return service_client(
        backend,
        "meldingen",
        create_app,
        MeldingenSettings,
        nats_url=server.url,
        # Only the commit's wake-up can make the bounded waits below: no poll rescues it.
        outbox_poll_seconds=3600.0,
        relay_backoff_min_seconds=0.05,
        relay_backoff_max_seconds=0.5,
        outbox_publish_timeout_seconds=1.0,
        **extra,
    )


def unpublished(backend: Backend) -> int:
    rows = query(
        backend,
        "SELECT count(*) AS n FROM meldingen.uitgaande_gebeurtenis WHERE published_at IS NULL",
    )
    return int(rows[0]["n"])


def for_subjects(received: list[Received], subjects: set[str]) -> list[Received]:
    return [item for item in received if item.event["subject"] in subjects]


def test_a_new_melding_reaches_jetstream_once_with_its_reach_header(
    backend: Backend,
    service_client: Callable[..., TestClient],
    nats_server: NatsServer,
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> None:
    client = relay_client(backend, service_client, nats_server)
    org = unique_org()
    melder_sub = unique_sub("melder")
    melding_id = report(client, devidp.headers(melder_sub, ["melder"], org), acuutGevaar=True)

    mine = wait_until(
        lambda: for_subjects(read_stream(nats_server.url), {melding_id}),
        what="melding-aangemaakt in the stream",
    )
    assert len(mine) == 1
    (item,) = mine
    assert item.subject == "weerbaar.meldingen.melding-aangemaakt"
    assert item.event["type"] == "nl.weerbaarbestuur.meldingen.melding-aangemaakt"
    assert item.event["data"]["prioriteit"] == "spoed"
    assert item.headers["Nats-Msg-Id"] == item.event["id"]
    reach = json.loads(item.headers["Weerbaar-Bereik"])
    assert reach == {
        "organisatie": org,
        "vertrouwelijk": False,
        "owbBereik": False,
        "melder": melder_sub,
        "behandelaar": None,
    }
    assert melder_sub not in json.dumps(item.event)


def test_nats_down_during_200_changes_loses_and_duplicates_nothing(
    backend: Backend,
    service_client: Callable[..., TestClient],
    nats_server: NatsServer,
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> None:
    client = relay_client(backend, service_client, nats_server)
    org = unique_org()
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    handler = devidp.headers(unique_sub("h"), ["behandelaar"], org)
    colleague = unique_sub("c")
    # Make sure the relay is connected first, so the kill really cuts a live connection.
    first = report(client, melder)
    wait_until(lambda: for_subjects(read_stream(nats_server.url), {first}), what="first event")

    nats_server.kill()
    ids: set[str] = set()
    for _ in range(50):  # 50 × (create, prioriteit, toewijzing, status) = 200 changes
        melding_id = report(client, melder)
        ids.add(melding_id)
        url = f"{BASE}/meldingen/{melding_id}"
        etag = client.get(url, headers=handler).headers["ETag"]
        responses = [
            client.patch(url, json={"prioriteit": "hoog"}, headers={**handler, "If-Match": etag}),
            client.post(f"{url}/toewijzing", json={"behandelaar": colleague}, headers=handler),
            client.post(
                f"{url}/statuswijzigingen", json={"status": "in_behandeling"}, headers=handler
            ),
        ]
        assert [r.status_code for r in responses] == [200, 200, 201]
    assert unpublished(backend) >= 200  # NATS is down: the changes succeed, the events wait

    nats_server.start()
    wait_until(lambda: unpublished(backend) == 0, timeout=60, what="outbox drained")
    received = for_subjects(read_stream(nats_server.url), ids)
    counts = events_by_id(received)
    assert len(counts) == 200
    assert set(counts.values()) == {1}
    assert {item.event["subject"] for item in received} == ids
    # Per melding in the order of the changes (one relay, one connection).
    for melding_id in ids:
        types = [i.subject.rsplit(".", 1)[1] for i in received if i.event["subject"] == melding_id]
        assert types == [
            "melding-aangemaakt",
            "melding-prioriteit-gewijzigd",
            "melding-toegewezen",
            "melding-status-gewijzigd",
        ]
