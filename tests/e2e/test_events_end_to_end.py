"""The whole event path as real processes (DESIGN.md part D): an acute, confidential report
filed through the gateway reaches the national team's receiver as a signed CloudEvent, and
nobody outside its reach hears of it — not even the handlers of the reporter's own
municipality, for whom a confidential report does not exist.

dev IdP → gateway → meldingen (outbox, relay) → nats-server (JetStream) → notificaties
(consumer, reach, delivery) → a webhook receiver on loopback that verifies the signature.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from tests.conftest import Backend, DevIdp
from tests.e2e.gateway_processes import start_gateway
from tests.meldingen.conftest import melding_body
from tests.notificaties.support import Ontvangen, Receiver, start_receiver
from tests.support.nats import NatsServer
from tests.support.processes import RunningProcess, free_port, start_process
from tests.support.waiting import wait_until

MELDINGEN = "/api/meldingen/v1"
NOTIFICATIES = "/api/notificaties/v1"
AANGEMAAKT = "nl.weerbaarbestuur.meldingen.melding-aangemaakt"


@dataclass
class EventStack:
    gateway: str
    processes: list[RunningProcess]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running, stop = start_receiver()
    yield running
    stop()


@pytest.fixture
def event_stack(
    backend: Backend, devidp: DevIdp, nats_server: NatsServer, tmp_path: Path
) -> Iterator[EventStack]:
    backend.migrate("meldingen")
    backend.migrate("notificaties")
    gateway_port = free_port()
    gateway_url = f"http://127.0.0.1:{gateway_port}"
    common = {
        **backend.env(),
        "WEERBAAR_ENV": "test",
        "WEERBAAR_OIDC_ISSUER": devidp.issuer,
        "WEERBAAR_NATS_URL": nats_server.url,
        "WEERBAAR_PUBLIC_BASE_URL": gateway_url,
    }
    started: list[RunningProcess] = []
    try:
        meldingen = start_process(
            "meldingen", ["services.meldingen", "serve"], env=common, log_dir=tmp_path
        )
        started.append(meldingen)
        notificaties = start_process(
            "notificaties",
            ["services.notificaties", "serve"],
            env={
                **common,
                "WEERBAAR_WEBHOOK_ALLOWED_HOSTS": "localhost",
                "WEERBAAR_WEBHOOK_RETRY_SCHEDULE": "0.5,0.5",
            },
            log_dir=tmp_path,
        )
        started.append(notificaties)
        gateway = start_gateway(
            tmp_path,
            devidp.issuer,
            {"meldingen": meldingen.url, "notificaties": notificaties.url},
            port=gateway_port,
            ready_path="/health/ready",
        )
        started.append(gateway)
        yield EventStack(gateway.url, started)
    finally:
        for process in reversed(started):
            process.stop()


def subscribe(stack: EventStack, headers: dict[str, str], callback: str) -> dict[str, Any]:
    response = httpx.post(
        f"{stack.gateway}{NOTIFICATIES}/abonnementen",
        json={"callbackUrl": callback, "types": ["nl.weerbaarbestuur.meldingen.*"]},
        headers=headers,
        timeout=10,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def events_about(requests: list[Ontvangen], melding_id: str) -> list[dict[str, Any]]:
    return [e for e in (json.loads(r.body) for r in requests) if e["subject"] == melding_id]


def test_an_acute_confidential_report_reaches_the_national_team_signed_and_no_one_else(
    event_stack: EventStack,
    receiver: Receiver,
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> None:
    org, other_org = unique_org(), unique_org()
    owb = devidp.headers(unique_sub("owb"), ["behandelaar"], "OWB")
    own_handler = devidp.headers(unique_sub("gm"), ["behandelaar"], org)
    stranger = devidp.headers(unique_sub("gm"), ["behandelaar"], other_org)
    analist = devidp.headers(unique_sub("an"), ["analist"], org)
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)

    national = subscribe(event_stack, owb, receiver.url())
    outside = [
        subscribe(event_stack, headers, receiver.url())
        for headers in (own_handler, stranger, analist)
    ]

    created = httpx.post(
        f"{event_stack.gateway}{MELDINGEN}/meldingen",
        json=melding_body(acuutGevaar=True, vertrouwelijk=True),
        headers=melder,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    melding = created.json()
    assert melding["prioriteit"] == "spoed"

    def delivered() -> list[dict[str, Any]]:
        return events_about(receiver.at(national["callbackUrl"]), melding["id"])

    [event] = wait_until(delivered, timeout=30, what="melding-aangemaakt at the OWB receiver")
    [request] = [
        r
        for r in receiver.at(national["callbackUrl"])
        if json.loads(r.body)["subject"] == melding["id"]
    ]
    # Signed after Standard Webhooks, verified as a receiver would.
    Webhook(national["secret"]).verify(request.body, request.headers)
    assert request.headers["webhook-id"] == event["id"]
    assert request.headers["content-type"].startswith("application/cloudevents+json")
    assert event["type"] == AANGEMAAKT
    assert event["data"]["prioriteit"] == "spoed"
    assert event["data"]["vertrouwelijk"] is True
    assert event["data"]["kenmerk"] == melding["kenmerk"]
    assert "omschrijving" not in json.dumps(event)
    # dataref points at the gateway and is fetched with the subscriber's own token.
    assert event["dataref"] == f"{event_stack.gateway}{MELDINGEN}/meldingen/{melding['id']}"
    fetched = httpx.get(event["dataref"], headers=owb, timeout=10)
    assert fetched.status_code == 200, fetched.text

    # Deliveries are planned when the event is stored, for every subscription at once: by
    # now the ones outside reach were considered too, and got no attempt at all.
    for abonnement, headers in zip(outside, (own_handler, stranger, analist), strict=True):
        log = httpx.get(
            f"{event_stack.gateway}{NOTIFICATIES}/abonnementen/{abonnement['id']}/afleveringen",
            headers=headers,
            timeout=10,
        )
        assert log.status_code == 200, (abonnement, log.text)
        assert log.json()["count"] == 0
        assert events_about(receiver.at(abonnement["callbackUrl"]), melding["id"]) == []

    def national_attempts() -> list[str]:
        national_log = httpx.get(
            f"{event_stack.gateway}{NOTIFICATIES}/abonnementen/{national['id']}/afleveringen",
            headers=owb,
            timeout=10,
        ).json()
        return [a["status"] for a in national_log["results"] if a["gebeurtenisId"] == event["id"]]

    # The receiver has the event before the deliverer records its answer: wait for the record.
    def recorded() -> list[str] | None:
        found = national_attempts()
        return found if found and "gepland" not in found else None

    statuses = wait_until(recorded, what="the delivery recorded", describe=national_attempts)
    assert statuses == ["afgeleverd"]
