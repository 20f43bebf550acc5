"""Both state machines, every (from, to) pair: allowed exactly as the contract's table says."""

from __future__ import annotations

import itertools

import pytest

from services.beveiliging.beveiligingsmaatregel.statussen import (
    MAATREGEL_MACHINE,
    MaatregelStatus,
)
from services.beveiliging.statusmachine import Actor
from services.beveiliging.woningscan.statussen import (
    OPEN_STATUSSEN,
    WONINGSCAN_MACHINE,
    WoningscanStatus,
)

W = WoningscanStatus
M = MaatregelStatus

# Written out from DESIGN.md C independently of the implementation's table.
WONINGSCAN_TOEGESTAAN = {
    (W.AANGEVRAAGD, W.INGEPLAND),
    (W.INGEPLAND, W.UITGEVOERD),
    (W.UITGEVOERD, W.ADVIES_OPGELEVERD),
    (W.ADVIES_OPGELEVERD, W.AFGEROND),
    (W.AANGEVRAAGD, W.GEANNULEERD),
    (W.INGEPLAND, W.GEANNULEERD),
    (W.UITGEVOERD, W.GEANNULEERD),
    (W.ADVIES_OPGELEVERD, W.GEANNULEERD),
}
MAATREGEL_TOEGESTAAN = {
    (M.GEADVISEERD, M.GOEDGEKEURD),
    (M.GOEDGEKEURD, M.GEPLAATST),
    (M.GEPLAATST, M.BEEINDIGD),
    (M.GEADVISEERD, M.AFGEWEZEN),
}


@pytest.mark.parametrize(("van", "naar"), list(itertools.product(W, W)))
def test_woningscan_every_pair_allowed_or_refused(
    van: WoningscanStatus, naar: WoningscanStatus
) -> None:
    assert WONINGSCAN_MACHINE.mag_overgaan(van, naar) is ((van, naar) in WONINGSCAN_TOEGESTAAN)


@pytest.mark.parametrize(("van", "naar"), list(itertools.product(M, M)))
def test_maatregel_every_pair_allowed_or_refused(
    van: MaatregelStatus, naar: MaatregelStatus
) -> None:
    assert MAATREGEL_MACHINE.mag_overgaan(van, naar) is ((van, naar) in MAATREGEL_TOEGESTAAN)


@pytest.mark.parametrize("doel", list(W))
def test_requester_may_only_ask_to_cancel_a_scan(doel: WoningscanStatus) -> None:
    assert WONINGSCAN_MACHINE.mag_vragen([Actor.AANVRAGER], doel) is (doel is W.GEANNULEERD)
    assert WONINGSCAN_MACHINE.mag_vragen([Actor.ADVISEUR], doel)
    assert WONINGSCAN_MACHINE.mag_vragen([Actor.AANVRAGER, Actor.ADVISEUR], doel)
    assert not WONINGSCAN_MACHINE.mag_vragen([], doel)


@pytest.mark.parametrize("doel", list(M))
def test_only_advisers_move_a_measure(doel: MaatregelStatus) -> None:
    assert MAATREGEL_MACHINE.mag_vragen([Actor.ADVISEUR], doel)
    assert not MAATREGEL_MACHINE.mag_vragen([Actor.AANVRAGER], doel)


def test_start_end_and_open_states() -> None:
    assert WONINGSCAN_MACHINE.begin is W.AANGEVRAAGD
    assert WONINGSCAN_MACHINE.eindstatussen() == {W.AFGEROND, W.GEANNULEERD}
    assert set(W) - {W.AFGEROND, W.GEANNULEERD} == OPEN_STATUSSEN
    assert MAATREGEL_MACHINE.begin is M.GEADVISEERD
    assert MAATREGEL_MACHINE.eindstatussen() == {M.BEEINDIGD, M.AFGEWEZEN}


def test_table_documents_every_allowed_move() -> None:
    assert set(WONINGSCAN_MACHINE.tabel()) == WONINGSCAN_TOEGESTAAN
    assert set(MAATREGEL_MACHINE.tabel()) == MAATREGEL_TOEGESTAAN
    assert WONINGSCAN_MACHINE.beschrijving().count("\n") == len(WONINGSCAN_TOEGESTAAN) + 1
