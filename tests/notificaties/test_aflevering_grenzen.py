"""Delivery limits: at most 64 KiB read, no redirects, the callback checked again per delivery,
and no secret or reach attribute in any log line."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg
import pytest
from fastapi.testclient import TestClient

from tests.conftest import Backend, DevIdp
from tests.notificaties.conftest import BASE
from tests.notificaties.support import (
    Receiver,
    envelope,
    melding_event,
    publish,
)
from tests.support.nats import NatsServer
from tests.support.waiting import wait_until

KENNISBANK = "nl.weerbaarbestuur.kennisbank.artikel-gepubliceerd"


@pytest.fixture
def partner(devidp: DevIdp, unique_sub: Callable[[str], str]) -> dict[str, str]:
    return devidp.headers(unique_sub("partner"), ["behandelaar"], "OWB")


def _abonneer(
    client: TestClient,
    headers: dict[str, str],
    url: str,
    types: list[str] | None = None,
    organisaties: list[str] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"callbackUrl": url, "types": types or [KENNISBANK]}
    if organisaties:
        body["organisaties"] = organisaties
    response = client.post(f"{BASE}/abonnementen", json=body, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def _pogingen(
    client: TestClient, headers: dict[str, str], abonnement_id: str
) -> list[dict[str, Any]]:
    response = client.get(f"{BASE}/abonnementen/{abonnement_id}/afleveringen", headers=headers)
    results: list[dict[str, Any]] = response.json()["results"]
    return sorted(results, key=lambda p: p["poging"])


def test_an_endless_response_body_is_cut_off_not_waited_for(
    worker_client: TestClient, partner: dict[str, str], receiver: Receiver, nats_server: NatsServer
) -> None:
    url = receiver.url()
    receiver.stream_forever(url)
    abonnement = _abonneer(worker_client, partner, url)
    publish(nats_server.url, envelope(KENNISBANK), {})
    [poging] = wait_until(
        lambda: _pogingen(worker_client, partner, abonnement["id"]), what="attempt"
    )
    # Read 64 KiB, closed: delivered, not a timeout after reading on and on.
    assert (poging["status"], poging["httpStatus"]) == ("afgeleverd", 200)


def test_redirects_are_not_followed(
    worker_client: TestClient, partner: dict[str, str], receiver: Receiver, nats_server: NatsServer
) -> None:
    url, elders = receiver.url(), receiver.url()
    receiver.redirect(url, elders)
    abonnement = _abonneer(worker_client, partner, url)
    publish(nats_server.url, envelope(KENNISBANK), {})
    [eerste, *_] = wait_until(
        lambda: _pogingen(worker_client, partner, abonnement["id"]), what="attempt"
    )
    assert (eerste["status"], eerste["httpStatus"]) == ("opnieuw_gepland", 307)
    assert receiver.at(elders) == []


def test_callback_is_checked_again_at_delivery(
    worker_client: TestClient,
    partner: dict[str, str],
    receiver: Receiver,
    nats_server: NatsServer,
    backend: Backend,
) -> None:
    # The stored callback now names a loopback address that is not allow-listed, as a
    # rebinding DNS name would at delivery time: the deliverer must not call it.
    url = receiver.url()
    abonnement = _abonneer(worker_client, partner, url)
    _zet_callback(backend, abonnement["id"], url.replace("localhost", "127.0.0.1"))
    publish(nats_server.url, envelope(KENNISBANK), {})
    log = wait_until(
        lambda: (
            (p := _pogingen(worker_client, partner, abonnement["id"]))
            and p[-1]["status"] == "mislukt"
            and p
        ),
        what="attempts refused",
    )
    assert [p["httpStatus"] for p in log] == [None, None, None]
    assert receiver.at(url) == []


def _zet_callback(backend: Backend, abonnement_id: str, url: str) -> None:
    if backend.is_postgres:
        assert backend.database_url

        async def update() -> None:
            connection = await asyncpg.connect(backend.database_url)
            try:
                await connection.execute(
                    "UPDATE notificaties.abonnement SET callback_url = $1 WHERE id = $2",
                    url,
                    uuid.UUID(abonnement_id),
                )
            finally:
                await connection.close()

        asyncio.run(update())
        return
    with sqlite3.connect(backend.target("notificaties").schema_file) as connection:
        connection.execute(
            "UPDATE abonnement SET callback_url = ? WHERE id = ?",
            (url, uuid.UUID(abonnement_id).hex),
        )


def test_no_secret_and_no_reach_attribute_in_any_log_line(
    worker_client: TestClient,
    partner: dict[str, str],
    receiver: Receiver,
    nats_server: NatsServer,
    caplog: pytest.LogCaptureFixture,
    unique_sub: Callable[[str], str],
) -> None:
    caplog.set_level(logging.DEBUG)
    url = receiver.url()
    receiver.answer(url, 500)
    abonnement = _abonneer(worker_client, partner, url, ["nl.weerbaarbestuur.meldingen.*"])
    rotated = worker_client.post(
        f"{BASE}/abonnementen/{abonnement['id']}/secret-vernieuwen", headers=partner
    )
    melder = unique_sub("melder-geheim")
    event, bereik = melding_event("melding-aangemaakt", "GM0363", melder=melder)
    publish(nats_server.url, event, bereik)
    wait_until(lambda: len(receiver.at(url)) >= 2, what="retried delivery")
    text = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert caplog.records  # the access log did record the requests
    for secret in (abonnement["secret"], rotated.json()["secret"]):
        assert secret.removeprefix("whsec_") not in text
    assert melder not in text
    # And the reach header never reaches the receiver.
    assert all(melder.encode() not in r.body for r in receiver.at(url))
    assert all("weerbaar-bereik" not in r.headers for r in receiver.at(url))


def test_retention_removes_finished_events_and_keeps_open_ones(
    worker_client: TestClient,
    partner: dict[str, str],
    receiver: Receiver,
    nats_server: NatsServer,
    backend: Backend,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    # Events of an organisation of its own: no subscription of another test shares them.
    org = unique_org()
    klaar, open_ = receiver.url(), receiver.url()
    hold = receiver.hold(open_)
    adviseur = devidp.headers(unique_sub("adviseur"), ["beveiligingsadviseur"], org)
    a = _abonneer(worker_client, partner, klaar, ["nl.weerbaarbestuur.meldingen.*"], [org])
    b = _abonneer(worker_client, adviseur, open_, ["nl.weerbaarbestuur.beveiliging.*"])
    publish(nats_server.url, *melding_event("melding-aangemaakt", org))
    scan = envelope("nl.weerbaarbestuur.beveiliging.woningscan-aangevraagd", organisatie=org)
    publish(nats_server.url, scan, {"organisatie": org})
    wait_until(lambda: _pogingen(worker_client, partner, a["id"]), what="delivered")
    wait_until(lambda: receiver.at(open_), what="held delivery under way")
    try:
        # Other tests' subscriptions may still be finishing this event: it goes once they are.
        wait_until(
            lambda: (
                asyncio.run(_ruim_op(backend)) is None
                and _pogingen(worker_client, partner, a["id"]) == []
            ),
            what="finished event removed",
        )
    finally:
        hold.set()
    # The held one was open, so it was kept and is delivered (or retried) as usual.
    wait_until(lambda: _pogingen(worker_client, adviseur, b["id"]), what="open delivery kept")


async def _ruim_op(backend: Backend) -> None:
    from services.common.db import create_engine_for, session_factory
    from services.notificaties.gebeurtenis.service import ruim_op

    engine = create_engine_for(backend.target("notificaties"), pool_size=1)
    try:
        async with session_factory(engine)() as session, session.begin():
            await ruim_op(session, bewaartermijn_seconden=0)
    finally:
        await engine.dispose()
