"""Delivery: signed with Standard Webhooks, retries, 410, timeout, the log, replay, rotation."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from standardwebhooks import Webhook

from tests.conftest import DevIdp
from tests.notificaties.conftest import BASE
from tests.notificaties.support import Receiver, envelope, publish
from tests.support.nats import NatsServer
from tests.support.waiting import wait_until

KENNISBANK = "nl.weerbaarbestuur.kennisbank.artikel-gepubliceerd"


@pytest.fixture
def partner(devidp: DevIdp, unique_sub: Callable[[str], str]) -> dict[str, str]:
    return devidp.headers(unique_sub("partner"), ["redacteur"], "OWB")


def _abonneer(
    client: TestClient, headers: dict[str, str], url: str, **extra: Any
) -> dict[str, Any]:
    body = {"callbackUrl": url, "types": [KENNISBANK], **extra}
    response = client.post(f"{BASE}/abonnementen", json=body, headers=headers)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def _log(client: TestClient, headers: dict[str, str], abonnement_id: str) -> list[dict[str, Any]]:
    response = client.get(f"{BASE}/abonnementen/{abonnement_id}/afleveringen", headers=headers)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return sorted(results, key=lambda r: r["poging"])


def _logged(
    client: TestClient, headers: dict[str, str], abonnement_id: str, n: int
) -> list[dict[str, Any]]:
    return wait_until(
        lambda: (log := _log(client, headers, abonnement_id)) and len(log) >= n and log,
        what=f"{n} attempts logged",
    )


def test_delivered_signed_and_logged(
    worker_client: TestClient, partner: dict[str, str], receiver: Receiver, nats_server: NatsServer
) -> None:
    url = receiver.url()
    abonnement = _abonneer(worker_client, partner, url)
    event = publish(nats_server.url, envelope(KENNISBANK, slug="x"), {})
    [ontvangen] = wait_until(lambda: receiver.at(url), what="delivery")
    assert ontvangen.headers["content-type"] == "application/cloudevents+json"
    assert ontvangen.headers["webhook-id"] == event["id"]
    # The receiver side of standardwebhooks accepts it, and the body is the event unchanged.
    verified = Webhook(abonnement["secret"]).verify(ontvangen.body, ontvangen.headers)
    assert verified == event
    assert "Weerbaar-Bereik".lower() not in ontvangen.headers
    [poging] = _logged(worker_client, partner, abonnement["id"], 1)
    assert poging["gebeurtenisId"] == event["id"]
    assert poging["type"] == KENNISBANK
    assert poging["status"] == "afgeleverd"
    assert poging["httpStatus"] == 200
    assert poging["poging"] == 1
    assert isinstance(poging["duurMs"], int)


def test_500_then_200_delivered_on_the_second_attempt(
    worker_client: TestClient, partner: dict[str, str], receiver: Receiver, nats_server: NatsServer
) -> None:
    url = receiver.url()
    receiver.answer(url, 500)
    abonnement = _abonneer(worker_client, partner, url)
    event = publish(nats_server.url, envelope(KENNISBANK), {})
    log = _logged(worker_client, partner, abonnement["id"], 2)
    assert [(p["poging"], p["status"], p["httpStatus"]) for p in log] == [
        (1, "opnieuw_gepland", 500),
        (2, "afgeleverd", 200),
    ]
    assert [r.headers["webhook-id"] for r in receiver.at(url)] == [event["id"], event["id"]]


def test_410_disables_the_subscription(
    worker_client: TestClient, partner: dict[str, str], receiver: Receiver, nats_server: NatsServer
) -> None:
    url = receiver.url()
    receiver.answer(url, 410)
    abonnement = _abonneer(worker_client, partner, url)
    publish(nats_server.url, envelope(KENNISBANK), {})
    [poging] = _logged(worker_client, partner, abonnement["id"], 1)
    assert (poging["status"], poging["httpStatus"]) == ("mislukt", 410)
    detail = worker_client.get(f"{BASE}/abonnementen/{abonnement['id']}", headers=partner).json()
    assert detail["actief"] is False
    assert detail["uitgeschakeldReden"] == "gone"
    # Switched off: the next event waits, and is not attempted.
    publish(nats_server.url, envelope(KENNISBANK), {})
    sentinel = receiver.url()
    _abonneer(worker_client, partner, sentinel)
    publish(nats_server.url, envelope(KENNISBANK), {})
    wait_until(lambda: receiver.at(sentinel), what="a later event reached another subscription")
    assert len(receiver.at(url)) == 1


def test_timeout_is_retried_then_failed_and_replay_delivers(
    worker_client: TestClient, partner: dict[str, str], receiver: Receiver, nats_server: NatsServer
) -> None:
    url = receiver.url()
    hold = receiver.hold(url)  # never answers within the 1 s limit
    abonnement = _abonneer(worker_client, partner, url)
    event = publish(nats_server.url, envelope(KENNISBANK), {})
    log = _logged(worker_client, partner, abonnement["id"], 3)
    assert [(p["status"], p["httpStatus"]) for p in log] == [
        ("opnieuw_gepland", None),
        ("opnieuw_gepland", None),
        ("mislukt", None),
    ]
    hold.set()
    replay = worker_client.post(
        f"{BASE}/abonnementen/{abonnement['id']}/afleveringen/{log[-1]['afleveringId']}/opnieuw",
        headers=partner,
    )
    assert replay.status_code == 202, replay.text
    assert replay.json()["status"] == "gepland"
    log = _logged(worker_client, partner, abonnement["id"], 4)
    assert (log[-1]["poging"], log[-1]["status"], log[-1]["httpStatus"]) == (4, "afgeleverd", 200)
    assert log[-1]["gebeurtenisId"] == event["id"]
    again = worker_client.post(
        f"{BASE}/abonnementen/{abonnement['id']}/afleveringen/{log[-1]['afleveringId']}/opnieuw",
        headers=partner,
    )
    assert again.status_code in (202, 409)


def test_rotation_signs_with_both_secrets_during_the_overlap(
    worker_client: TestClient, partner: dict[str, str], receiver: Receiver, nats_server: NatsServer
) -> None:
    url = receiver.url()
    abonnement = _abonneer(worker_client, partner, url)
    rotated = worker_client.post(
        f"{BASE}/abonnementen/{abonnement['id']}/secret-vernieuwen", headers=partner
    )
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"] != abonnement["secret"]
    assert rotated.json()["vorigSecretGeldigTot"] is not None
    publish(nats_server.url, envelope(KENNISBANK), {})
    [ontvangen] = wait_until(lambda: receiver.at(url), what="delivery")
    assert len(ontvangen.headers["webhook-signature"].split(" ")) == 2
    for secret in (abonnement["secret"], rotated.json()["secret"]):
        Webhook(secret).verify(ontvangen.body, ontvangen.headers)


def test_same_event_twice_is_delivered_once(
    worker_client: TestClient, partner: dict[str, str], receiver: Receiver, nats_server: NatsServer
) -> None:
    url = receiver.url()
    _abonneer(worker_client, partner, url)
    event = envelope(KENNISBANK)
    # Without Nats-Msg-Id the stream keeps both copies: our own dedupe on the id must hold.
    publish(nats_server.url, event, {}, msg_id=False)
    publish(nats_server.url, event, {}, msg_id=False)
    sentinel = envelope(KENNISBANK)
    publish(nats_server.url, sentinel, {})
    wait_until(lambda: len(receiver.at(url)) >= 2, what="event and sentinel")
    assert [json.loads(r.body)["id"] for r in receiver.at(url)] == [event["id"], sentinel["id"]]


def test_a_slow_receiver_does_not_delay_others(
    worker_client: TestClient, partner: dict[str, str], receiver: Receiver, nats_server: NatsServer
) -> None:
    slow = receiver.url()
    hold = receiver.hold(slow)
    fast = receiver.url()
    _abonneer(worker_client, partner, slow)
    _abonneer(worker_client, partner, fast)
    publish(nats_server.url, envelope(KENNISBANK), {})
    wait_until(lambda: receiver.at(slow), what="slow receiver called")
    # The slow one is still holding its request open while the other is served.
    wait_until(lambda: receiver.at(fast), what="fast receiver served")
    assert not hold.is_set()
    hold.set()


def test_per_subscription_event_order(
    worker_client: TestClient, partner: dict[str, str], receiver: Receiver, nats_server: NatsServer
) -> None:
    url = receiver.url()
    receiver.answer(url, 500)  # the first is retried: the second must wait for it
    _abonneer(worker_client, partner, url)
    events = [publish(nats_server.url, envelope(KENNISBANK), {}) for _ in range(3)]
    wait_until(lambda: len(receiver.at(url)) >= 4, what="all delivered")
    ids = [json.loads(r.body)["id"] for r in receiver.at(url)]
    assert ids == [events[0]["id"], events[0]["id"], events[1]["id"], events[2]["id"]]


def test_delivery_log_of_another_owner_is_404(
    worker_client: TestClient, partner: dict[str, str], devidp: DevIdp, receiver: Receiver
) -> None:
    abonnement = _abonneer(worker_client, partner, receiver.url())
    ander = devidp.headers("iemand-anders", ["redacteur"], "OWB")
    url = f"{BASE}/abonnementen/{abonnement['id']}/afleveringen"
    assert worker_client.get(url, headers=ander).status_code == 404
    assert worker_client.post(f"{url}/{abonnement['id']}/opnieuw", headers=ander).status_code == 404
