"""Runs of deliveries: a subscription's due events go out back to back on one claim.

Real databases (a fresh one per test, so no other deliverer of the session takes part), real
deliverers, and a real HTTP/1.1 receiver on loopback that keeps connections alive. Events
are stored the way the consumer stores them before a deliverer starts, so runs are full.
"""

from __future__ import annotations

import time

from tests.notificaties.bezorging import BASE, Ontvanger, Opzet, bewaar, bezorg


def test_a_run_keeps_event_order_and_reuses_connections(opzet: Opzet, ontvanger: Ontvanger) -> None:
    namen = ["a", "b"]
    abonnementen = {naam: opzet.abonneer(ontvanger.url(naam)) for naam in namen}
    ids = bewaar(opzet, 35)  # several runs of at most 10 each
    bezorg(opzet, workers=1, until=lambda: ontvanger.count() >= 70)
    for naam in namen:
        assert ontvanger.ids(naam) == ids  # each once, in event order
        log = opzet.log(abonnementen[naam])
        assert sorted((p["gebeurtenisId"], p["poging"], p["status"]) for p in log) == sorted(
            (i, 1, "afgeleverd") for i in ids
        )
    # Kept-alive connections: a handful for 70 deliveries, not one each.
    poorten = {v.poort for v in ontvanger.verzoeken}
    assert len(poorten) <= 4, poorten


def test_a_failure_mid_run_leaves_the_rest_for_after_its_retry(
    opzet: Opzet, ontvanger: Ontvanger
) -> None:
    abonnement_id = opzet.abonneer(ontvanger.url("r"))
    ids = bewaar(opzet, 8)
    ontvanger.script[("/r", ids[3])] = [500]  # the fourth of a run of eight fails once
    bezorg(opzet, workers=1, until=lambda: ontvanger.count() >= 9)
    # The three before it are not sent again; nothing after it passes it; then all in order.
    assert ontvanger.ids("r") == [*ids[:4], *ids[3:]]
    assert ontvanger.ids("r", geslaagd=True) == ids
    log = opzet.log(abonnement_id)
    pogingen = sorted((p["gebeurtenisId"], p["poging"], p["status"], p["httpStatus"]) for p in log)
    assert pogingen == sorted(
        [(i, 1, "afgeleverd", 200) for i in ids if i != ids[3]]
        + [(ids[3], 1, "opnieuw_gepland", 500), (ids[3], 2, "afgeleverd", 200)]
    )


def test_two_deliverers_never_send_one_delivery_twice(opzet: Opzet, ontvanger: Ontvanger) -> None:
    namen = [f"s{n}" for n in range(4)]
    for naam in namen:
        opzet.abonneer(ontvanger.url(naam))
    ids = bewaar(opzet, 40)
    ontvanger.delay = 0.002  # widen the window in which a second sender could overlap
    bezorg(opzet, workers=2, until=lambda: ontvanger.count() >= 160, timeout=60)
    assert ontvanger.overlaps == []
    for naam in namen:
        assert ontvanger.ids(naam) == ids  # each exactly once, in event order


def test_switching_off_stops_a_run_within_about_a_second(
    opzet: Opzet, ontvanger: Ontvanger
) -> None:
    abonnement_id = opzet.abonneer(ontvanger.url("uit"))
    ids = bewaar(opzet, 60)
    ontvanger.delay = 0.1  # a run of ten takes a second
    uitgezet: list[float] = []

    def klaar() -> bool:
        if not uitgezet and ontvanger.count() >= 3:
            response = opzet.api.patch(
                f"{BASE}/abonnementen/{abonnement_id}",
                json={"actief": False},
                headers=opzet.headers,
            )
            assert response.status_code == 200, response.text
            uitgezet.append(time.monotonic())
        return bool(uitgezet) and time.monotonic() > uitgezet[0] + 3

    bezorg(opzet, workers=1, until=klaar)
    ontvangen = ontvanger.ids("uit")
    assert ontvangen == ids[: len(ontvangen)]  # in order, nothing twice
    assert len(ontvangen) < 20
    # The run looks again each second; one attempt may be under way when it does.
    assert max(v.at for v in ontvanger.verzoeken) < uitgezet[0] + 1.5
