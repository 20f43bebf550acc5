"""The melding status table of DESIGN.md: every (from, to) pair, and who may ask for it."""

from __future__ import annotations

import itertools

import pytest

from services.common.statemachine import InvalidTransition
from services.meldingen.melding.enums import Rol, Status
from services.meldingen.melding.states import MELDING_STATES

_S = Status
# (from, to) → the one actor who may ask; a literal copy of the DESIGN.md table.
ALLOWED = {
    (_S.ontvangen, _S.in_behandeling): Rol.behandelaar,
    (_S.ontvangen, _S.doorverwezen): Rol.behandelaar,
    (_S.ontvangen, _S.afgehandeld): Rol.behandelaar,
    (_S.in_behandeling, _S.doorverwezen): Rol.behandelaar,
    (_S.in_behandeling, _S.afgehandeld): Rol.behandelaar,
    (_S.doorverwezen, _S.in_behandeling): Rol.behandelaar,
    (_S.doorverwezen, _S.afgehandeld): Rol.behandelaar,
    (_S.afgehandeld, _S.in_behandeling): Rol.behandelaar,
    (_S.ontvangen, _S.ingetrokken): Rol.melder,
    (_S.in_behandeling, _S.ingetrokken): Rol.melder,
    (_S.doorverwezen, _S.ingetrokken): Rol.melder,
}


def test_a_melding_starts_ontvangen_and_only_ingetrokken_is_final() -> None:
    assert MELDING_STATES.initial == Status.ontvangen
    assert MELDING_STATES.final_states() == frozenset({Status.ingetrokken})


@pytest.mark.parametrize(("current", "target"), list(itertools.product(Status, Status)))
def test_every_pair_is_allowed_or_an_invalid_transition(current: Status, target: Status) -> None:
    if (current, target) in ALLOWED:
        MELDING_STATES.ensure_move(current, target)
        return
    with pytest.raises(InvalidTransition) as refused:
        MELDING_STATES.ensure_move(current, target)
    assert refused.value.status == 409
    assert refused.value.detail == f"Van {current} naar {target} kan niet."


@pytest.mark.parametrize(("pair", "actor"), list(ALLOWED.items()))
def test_only_the_named_actor_may_ask(pair: tuple[Status, Status], actor: Rol) -> None:
    _, target = pair
    assert MELDING_STATES.may_request({actor}, target)
    others = [rol for rol in (Rol.melder, Rol.behandelaar) if rol is not actor]
    assert not MELDING_STATES.may_request(others, target)
