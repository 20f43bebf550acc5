"""The breaker per subscription: dead receivers cannot take a live one's deliveries.

Real databases of the test's own, real deliverers, real HTTP receivers on loopback: one that
holds every request open (a dead or slow-loris receiver, at the same host and port as the
live one, as tenants of one receiver host are), and a port where nothing listens.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.notificaties.aflevering import breaker
from services.notificaties.aflevering.verzender import Uitkomst
from tests.notificaties.bezorging import Ontvanger, bewaar, bezorg, toestand
from tests.notificaties.conftest import MaakOpzet
from tests.support.processes import free_port

NU = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
FOUT = Uitkomst(503, 3)
TIMEOUT = Uitkomst(None, 10_000, "timeout")
GOED = Uitkomst(200, 3)


def test_breaker_opens_at_the_threshold_and_probes_along_the_schedule() -> None:
    schema = (5.0, 300.0, 1800.0)
    stand = breaker.na(breaker.GESLOTEN, [FOUT, TIMEOUT], drempel=3, schema=schema, nu=NU)
    assert stand == breaker.Stand(2, None)  # two in a row: still tried as usual
    stand = breaker.na(stand, [TIMEOUT], drempel=3, schema=schema, nu=NU)
    assert stand == breaker.Stand(3, NU + timedelta(seconds=5))
    stand = breaker.na(stand, [FOUT], drempel=3, schema=schema, nu=NU)
    assert stand.onderbroken_tot == NU + timedelta(seconds=300)
    for _ in range(5):  # past the schedule's end: its last interval from then on
        stand = breaker.na(stand, [FOUT], drempel=3, schema=schema, nu=NU)
    assert stand == breaker.Stand(9, NU + timedelta(seconds=1800))
    # One delivered attempt closes it; 410 neither counts nor closes (it switches off).
    assert breaker.na(stand, [GOED], drempel=3, schema=schema, nu=NU) == breaker.GESLOTEN
    gone = breaker.na(stand, [Uitkomst(410, 3)], drempel=3, schema=schema, nu=NU)
    assert gone == stand
    # A run that delivers some and then fails counts from the failure on.
    assert breaker.na(stand, [GOED, GOED, FOUT], drempel=3, schema=schema, nu=NU) == (
        breaker.Stand(1, None)
    )


def test_dead_receivers_do_not_take_a_live_ones_deliveries(
    maak_opzet: MaakOpzet, ontvanger: Ontvanger
) -> None:
    opzet = maak_opzet(webhook_breaker_threshold=3)
    live = opzet.abonneer(ontvanger.url("live"))
    # Two that hold every request (both connections a shared pool would have for this host),
    # one whose port refuses.
    ontvanger.houdt_vast.update({"hold-1", "hold-2"})
    dood = [opzet.abonneer(ontvanger.url(naam)) for naam in ("hold-1", "hold-2")]
    dood.append(opzet.abonneer(f"http://localhost:{free_port()}/refuse"))
    ids = bewaar(opzet, 60)
    ontvanger.delay = 0.02  # the live one's deliveries go on while the dead ones' are tried

    def klaar() -> bool:
        # The live one has everything, and each dead one's breaker has opened.
        return len(ontvanger.ids("live")) >= len(ids) and all(
            toestand(opzet, a).onderbroken_tot is not None for a in dood
        )

    bezorg(opzet, workers=1, until=klaar, timeout=60)

    # The live one: every event once, in event order, each on its first attempt: none of its
    # attempts waited for a connection or a slot until its time limit ran out.
    assert ontvanger.ids("live") == ids
    log = opzet.log(live)
    assert sorted((p["gebeurtenisId"], p["poging"], p["status"]) for p in log) == sorted(
        (i, 1, "afgeleverd") for i in ids
    )
    for abonnement_id in dood:
        stand = toestand(opzet, abonnement_id)
        assert stand.fouten_op_rij >= 3
        assert stand.onderbroken_tot is not None  # open: held back behind its probe
        # Nothing of its backlog was passed over or given up without an attempt.
        assert all(status != "afgeleverd" for status, _ in stand.afleveringen)
        assert all(pogingen == 0 for status, pogingen in stand.afleveringen if status == "gepland")
        # Every attempt is in the log, none answered.
        dood_log = opzet.log(abonnement_id)
        assert dood_log
        assert {p["httpStatus"] for p in dood_log} == {None}
        assert sum(pogingen for _, pogingen in stand.afleveringen) == len(dood_log)
    # A holding receiver never had two of its subscription's requests in flight at once,
    # and each was tried in event order.
    for naam in ("hold-1", "hold-2"):
        assert ontvanger.hoogstens[f"/{naam}"] == 1
        geprobeerd = ontvanger.ids(naam)
        assert geprobeerd == sorted(geprobeerd, key=ids.index)


def test_breaker_probes_then_closes_and_delivers_the_backlog_in_order_after_a_restart(
    maak_opzet: MaakOpzet, ontvanger: Ontvanger
) -> None:
    # Two failures open it. The first event's retries (0.1 s, then 3 s) run out; after that
    # the breaker waits its interval (3 s) before the next event is tried.
    opzet = maak_opzet(webhook_breaker_threshold=2, webhook_retry_schedule=(0.1, 3.0, 3.0))
    abonnement_id = opzet.abonneer(ontvanger.url("p"))
    ontvanger.antwoorden["/p"] = [503] * 4
    ids = bewaar(opzet, 25)

    def eerste_mislukt() -> bool:
        return any(p["status"] == "mislukt" for p in opzet.log(abonnement_id))

    bezorg(opzet, workers=1, until=eerste_mislukt, timeout=60, nalopen=0)
    stand = toestand(opzet, abonnement_id)
    assert stand.fouten_op_rij == 4
    assert stand.onderbroken_tot is not None
    # The failed event was not followed at once by the next: the backlog waits, untried
    # and unlogged, behind the probe.
    assert stand.afleveringen[0] == ("mislukt", 4)
    assert stand.afleveringen[1:] == [("gepland", 0)] * (len(ids) - 1)
    assert [(p["poging"], p["status"]) for p in sorted(opzet.log(abonnement_id), key=_poging)] == [
        (1, "opnieuw_gepland"),
        (2, "opnieuw_gepland"),
        (3, "opnieuw_gepland"),
        (4, "mislukt"),
    ]

    # Restarted, as two replicas: the state came through, the probe waits for its moment,
    # is delivered, and closes the breaker; the backlog follows in event order, each once.
    bezorg(opzet, workers=2, until=lambda: len(ontvanger.ids("p", geslaagd=True)) >= len(ids) - 1)
    assert ontvanger.ids("p") == [ids[0]] * 4 + ids[1:]
    assert ontvanger.overlaps == []
    log = opzet.log(abonnement_id)
    probe = min((p for p in log if p["gebeurtenisId"] == ids[1]), key=_poging)
    assert (probe["poging"], probe["status"]) == (1, "afgeleverd")
    assert datetime.fromisoformat(probe["tijdstip"]) >= stand.onderbroken_tot
    assert sorted(
        (p["gebeurtenisId"], p["status"]) for p in log if p["gebeurtenisId"] != ids[0]
    ) == (sorted((i, "afgeleverd") for i in ids[1:]))
    assert toestand(opzet, abonnement_id).onderbroken_tot is None
    assert toestand(opzet, abonnement_id).fouten_op_rij == 0


def _poging(poging: dict[str, object]) -> int:
    value = poging["poging"]
    assert isinstance(value, int)
    return value
