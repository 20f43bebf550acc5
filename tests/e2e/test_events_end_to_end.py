"""The whole event path as real processes (DESIGN.md part D): an acute, confidential report
filed through the gateway reaches the national team's receiver as a signed CloudEvent, and
nobody outside its reach hears of it — not even the handlers of the reporter's own
municipality, for whom a confidential report does not exist.

dev IdP → gateway → meldingen (outbox, relay) → nats-server (JetStream) → notificaties
(consumer, reach, delivery) → a webhook receiver on loopback that verifies the signature.
"""

from __future__ import annotations

import json
import time
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
    yield from _event_stack(backend, devidp, nats_server, tmp_path)


# Deadlines of seconds, a scheduler every half second, and a second meldingen replica with
# its own scheduler and relay over the same database.
FAST_DEADLINES = {
    "WEERBAAR_REACTIETERMIJNEN": "spoed=PT2S,hoog=PT30S,normaal=PT60S",
    "WEERBAAR_ESCALATIE_INTERVAL_SECONDS": "0.5",
}


@pytest.fixture
def fast_deadline_stack(
    backend: Backend, devidp: DevIdp, nats_server: NatsServer, tmp_path: Path
) -> Iterator[EventStack]:
    yield from _event_stack(
        backend, devidp, nats_server, tmp_path, meldingen_env=FAST_DEADLINES, replicas=2
    )


def _event_stack(
    backend: Backend,
    devidp: DevIdp,
    nats_server: NatsServer,
    tmp_path: Path,
    *,
    meldingen_env: dict[str, str] | None = None,
    replicas: int = 1,
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
        for replica in range(replicas):
            started.append(
                start_process(
                    f"meldingen-{replica}" if replica else "meldingen",
                    ["services.meldingen", "serve"],
                    env={**common, **(meldingen_env or {})},
                    log_dir=tmp_path,
                )
            )
        meldingen = started[0]
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


VERSTREKEN = "nl.weerbaarbestuur.meldingen.melding-termijn-verstreken"


def test_a_missed_deadline_reaches_the_handlers_once_and_never_the_melder(
    fast_deadline_stack: EventStack,
    receiver: Receiver,
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> None:
    """spoed = 2 seconds: nobody picks the report up, two replicas' schedulers look every
    half second, and the handlers' receiver gets `melding-termijn-verstreken` exactly once."""
    stack = fast_deadline_stack
    org = unique_org()
    handler = devidp.headers(unique_sub("gm"), ["behandelaar"], org)
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    handlers = subscribe(stack, handler, receiver.url())
    own = subscribe(stack, melder, receiver.url())

    created = httpx.post(
        f"{stack.gateway}{MELDINGEN}/meldingen",
        json=melding_body(acuutGevaar=True),
        headers=melder,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    melding_id = created.json()["id"]
    picked_up_in_time = httpx.post(
        f"{stack.gateway}{MELDINGEN}/meldingen",
        json=melding_body(acuutGevaar=True),
        headers=melder,
        timeout=10,
    ).json()["id"]
    moved = httpx.post(
        f"{stack.gateway}{MELDINGEN}/meldingen/{picked_up_in_time}/statuswijzigingen",
        json={"status": "in_behandeling"},
        headers=handler,
        timeout=10,
    )
    assert moved.status_code == 201, moved.text

    def verstreken(callback: str, subject: str) -> list[dict[str, Any]]:
        return [e for e in events_about(receiver.at(callback), subject) if e["type"] == VERSTREKEN]

    [event] = wait_until(
        lambda: verstreken(handlers["callbackUrl"], melding_id),
        timeout=30,
        what="melding-termijn-verstreken at the handlers' receiver",
    )
    assert event["data"]["meldingId"] == melding_id
    assert event["data"]["reactieUiterlijk"]
    # Many scheduler runs on both replicas later: still exactly one, and never at the melder's.
    wait_until(
        lambda: len(receiver.at(own["callbackUrl"])) >= 2,
        timeout=30,
        what="the melder's own melding-aangemaakt events",
    )
    time.sleep(8)  # some 16 more runs of each replica's scheduler
    assert len(verstreken(handlers["callbackUrl"], melding_id)) == 1
    assert verstreken(handlers["callbackUrl"], picked_up_in_time) == []
    assert verstreken(own["callbackUrl"], melding_id) == []
    view = httpx.get(f"{stack.gateway}{MELDINGEN}/meldingen/{melding_id}", headers=handler)
    assert view.json()["termijnVerstreken"] is True
