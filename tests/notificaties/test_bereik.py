"""Reach decides delivery: each subscriber gets what DESIGN.md says and nothing else.

The negatives are asserted twice: nothing arrives at the receiver, and no attempt is logged.
A final kennisbank event (everyone signed in may know it) is the sentinel: deliveries keep
event order per subscription, so once it arrived, every earlier event was decided.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from services.notificaties.reach import Ontvanger, in_bereik
from tests.conftest import DevIdp
from tests.notificaties.conftest import BASE
from tests.notificaties.support import (
    Receiver,
    envelope,
    melding_event,
    publish,
)
from tests.support.nats import NatsServer
from tests.support.waiting import wait_until

ALLES = "nl.weerbaarbestuur.*"


def test_reach_matrix(
    worker_client: TestClient,
    devidp: DevIdp,
    receiver: Receiver,
    nats_server: NatsServer,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> None:
    gm, ander_gm = unique_org(), unique_org()
    melder = unique_sub("melder")
    rollen: dict[str, tuple[str, list[str], str]] = {
        "gm_behandelaar": (unique_sub("beh"), ["behandelaar"], gm),
        "ander_gm_behandelaar": (unique_sub("beh"), ["behandelaar"], ander_gm),
        "owb_behandelaar": (unique_sub("owb"), ["behandelaar"], "OWB"),
        "melder": (melder, ["melder"], gm),
        "andere_melder": (unique_sub("melder"), ["melder"], gm),
        "analist": (unique_sub("analist"), ["analist"], "OWB"),
        "beheerder": (unique_sub("beheerder"), ["beheerder"], gm),
        "adviseur": (unique_sub("adviseur"), ["beveiligingsadviseur"], gm),
    }
    urls: dict[str, str] = {}
    abonnementen: dict[str, str] = {}
    headers: dict[str, dict[str, str]] = {}
    for naam, (sub, roles, org) in rollen.items():
        headers[naam] = devidp.headers(sub, roles, org)
        urls[naam] = receiver.url()
        response = worker_client.post(
            f"{BASE}/abonnementen",
            json={"callbackUrl": urls[naam], "types": [ALLES]},
            headers=headers[naam],
        )
        assert response.status_code == 201, response.text
        abonnementen[naam] = response.json()["id"]

    gewoon = melding_event("melding-aangemaakt", gm, melder=melder)
    vertrouwelijk = melding_event("melding-aangemaakt", gm, vertrouwelijk=True, melder=melder)
    doorverwezen = melding_event("melding-status-gewijzigd", gm, owb=True, melder="iemand")
    elders = melding_event("melding-aangemaakt", ander_gm, vertrouwelijk=True, melder="iemand")
    scan = (
        envelope("nl.weerbaarbestuur.beveiliging.woningscan-aangevraagd", organisatie=gm),
        {"organisatie": gm},
    )
    zonder_bereik = (
        envelope("nl.weerbaarbestuur.meldingen.melding-toegewezen", organisatie=gm),
        None,
    )
    sentinel = (envelope("nl.weerbaarbestuur.kennisbank.artikel-gepubliceerd"), {})
    events = [gewoon, vertrouwelijk, doorverwezen, elders, scan, zonder_bereik, sentinel]
    for event, bereik in events:
        publish(nats_server.url, event, bereik)

    def ids(*chosen: tuple[dict[str, Any], Any]) -> list[str]:
        return [event["id"] for event, _ in chosen]

    verwacht = {
        "gm_behandelaar": ids(gewoon, doorverwezen, sentinel),
        "ander_gm_behandelaar": ids(sentinel),
        "owb_behandelaar": ids(
            gewoon, vertrouwelijk, doorverwezen, elders, zonder_bereik, sentinel
        ),
        "melder": ids(gewoon, vertrouwelijk, sentinel),
        "andere_melder": ids(sentinel),
        "analist": ids(sentinel),
        "beheerder": ids(sentinel),
        "adviseur": ids(scan, sentinel),
    }
    for naam, url in urls.items():
        wait_until(
            lambda url=url: any(
                json.loads(r.body)["id"] == sentinel[0]["id"] for r in receiver.at(url)
            ),
            what=f"sentinel at {naam}",
        )
    for naam, url in urls.items():
        ontvangen = [json.loads(r.body)["id"] for r in receiver.at(url)]
        assert ontvangen == verwacht[naam], naam

        def logged(naam: str = naam) -> dict[str, Any] | None:
            log: dict[str, Any] = worker_client.get(
                f"{BASE}/abonnementen/{abonnementen[naam]}/afleveringen?pageSize=100",
                headers=headers[naam],
            ).json()
            return log if log["count"] >= len(verwacht[naam]) else None

        # A run's attempts are logged together once it ends, just after the last arrives.
        log = wait_until(logged, what=f"attempts logged for {naam}")
        assert log["count"] == len(verwacht[naam]), naam
        assert sorted(p["gebeurtenisId"] for p in log["results"]) == sorted(verwacht[naam]), naam


def test_organisaties_filter_narrows_within_reach(
    worker_client: TestClient,
    devidp: DevIdp,
    receiver: Receiver,
    nats_server: NatsServer,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> None:
    gm, ander = unique_org(), unique_org()
    owb = devidp.headers(unique_sub("owb"), ["behandelaar"], "OWB")
    url = receiver.url()
    response = worker_client.post(
        f"{BASE}/abonnementen",
        json={
            "callbackUrl": url,
            "types": ["nl.weerbaarbestuur.meldingen.*"],
            "organisaties": [gm],
        },
        headers=owb,
    )
    assert response.status_code == 201, response.text
    niet = melding_event("melding-aangemaakt", ander)
    wel = melding_event("melding-aangemaakt", gm)
    publish(nats_server.url, *niet)
    publish(nats_server.url, *wel)
    wait_until(lambda: receiver.at(url), what="delivery")
    assert [json.loads(r.body)["id"] for r in receiver.at(url)] == [wel[0]["id"]]


def _o(roles: str, org: str | None, sub: str = "s") -> Ontvanger:
    return Ontvanger(sub, frozenset(roles.split()), org)


def test_reach_rules_refuse_what_is_unknown() -> None:
    melding = "nl.weerbaarbestuur.meldingen.melding-aangemaakt"
    # Missing attributes count as confidential: only OWB handlers.
    assert not in_bereik(_o("behandelaar", "GM0363"), melding, {"organisatie": "GM0363"})
    assert in_bereik(_o("behandelaar", "OWB"), melding, {})
    # A handler without an organisation, or a melder whose subject differs: nothing.
    assert not in_bereik(
        _o("behandelaar", None), melding, {"organisatie": "GM0363", "vertrouwelijk": False}
    )
    assert not in_bereik(
        _o("melder", "GM0363", "a"), melding, {"melder": "b", "vertrouwelijk": False}
    )
    # An adviser of another organisation, and unknown services.
    scan = "nl.weerbaarbestuur.beveiliging.woningscan-aangevraagd"
    assert not in_bereik(_o("beveiligingsadviseur", "GM0001"), scan, {"organisatie": "GM0363"})
    assert in_bereik(_o("beveiligingsadviseur", "OWB"), scan, {"organisatie": "GM0363"})
    assert not in_bereik(_o("behandelaar", "OWB"), "nl.weerbaarbestuur.onbekend.x", {})
