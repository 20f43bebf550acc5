"""Both state machines, every (from, to) pair: allowed exactly as the contract's table says."""

from __future__ import annotations

import itertools

import pytest

from services.beveiliging.beveiligingsmaatregel.states import (
    MAATREGEL_MACHINE,
    MaatregelStatus,
)
from services.beveiliging.reach import Actor
from services.beveiliging.woningscan.states import (
    OPEN_STATUSSEN,
    WONINGSCAN_MACHINE,
    WoningscanStatus,
)

W = WoningscanStatus
M = MaatregelStatus

# Written out from DESIGN.md C independently of the implementation's table.
WONINGSCAN_TOEGESTAAN = {
    (W.aangevraagd, W.ingepland),
    (W.ingepland, W.uitgevoerd),
    (W.uitgevoerd, W.advies_opgeleverd),
    (W.advies_opgeleverd, W.afgerond),
    (W.aangevraagd, W.geannuleerd),
    (W.ingepland, W.geannuleerd),
    (W.uitgevoerd, W.geannuleerd),
    (W.advies_opgeleverd, W.geannuleerd),
}
MAATREGEL_TOEGESTAAN = {
    (M.geadviseerd, M.goedgekeurd),
    (M.goedgekeurd, M.geplaatst),
    (M.geplaatst, M.beeindigd),
    (M.geadviseerd, M.afgewezen),
}


@pytest.mark.parametrize(("van", "naar"), list(itertools.product(W, W)))
def test_woningscan_every_pair_allowed_or_refused(
    van: WoningscanStatus, naar: WoningscanStatus
) -> None:
    assert WONINGSCAN_MACHINE.may_move(van, naar) is ((van, naar) in WONINGSCAN_TOEGESTAAN)


@pytest.mark.parametrize(("van", "naar"), list(itertools.product(M, M)))
def test_maatregel_every_pair_allowed_or_refused(
    van: MaatregelStatus, naar: MaatregelStatus
) -> None:
    assert MAATREGEL_MACHINE.may_move(van, naar) is ((van, naar) in MAATREGEL_TOEGESTAAN)


@pytest.mark.parametrize("doel", list(W))
def test_requester_may_only_ask_to_cancel_a_scan(doel: WoningscanStatus) -> None:
    assert WONINGSCAN_MACHINE.may_request([Actor.aanvrager], doel) is (doel is W.geannuleerd)
    assert WONINGSCAN_MACHINE.may_request([Actor.adviseur], doel)
    assert WONINGSCAN_MACHINE.may_request([Actor.aanvrager, Actor.adviseur], doel)
    assert not WONINGSCAN_MACHINE.may_request([], doel)


@pytest.mark.parametrize("doel", list(M))
def test_only_advisers_move_a_measure(doel: MaatregelStatus) -> None:
    assert MAATREGEL_MACHINE.may_request([Actor.adviseur], doel)
    assert not MAATREGEL_MACHINE.may_request([Actor.aanvrager], doel)


def test_start_end_and_open_states() -> None:
    assert WONINGSCAN_MACHINE.initial is W.aangevraagd
    assert WONINGSCAN_MACHINE.final_states() == {W.afgerond, W.geannuleerd}
    assert set(W) - {W.afgerond, W.geannuleerd} == OPEN_STATUSSEN
    assert MAATREGEL_MACHINE.initial is M.geadviseerd
    assert MAATREGEL_MACHINE.final_states() == {M.beeindigd, M.afgewezen}


def test_table_documents_every_allowed_move() -> None:
    assert set(WONINGSCAN_MACHINE.pairs()) == WONINGSCAN_TOEGESTAAN
    assert set(MAATREGEL_MACHINE.pairs()) == MAATREGEL_TOEGESTAAN
    assert WONINGSCAN_MACHINE.describe().count("\n") == len(WONINGSCAN_TOEGESTAAN) + 1
