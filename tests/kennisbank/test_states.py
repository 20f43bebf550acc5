"""The article workflow table: every (from, to) pair, allowed or 409."""

from __future__ import annotations

import itertools

import pytest

from services.common.statemachine import InvalidTransition
from services.kennisbank.artikel.enums import Status
from services.kennisbank.artikel.states import ARTIKEL_STATES

ALLOWED = {
    (Status.concept, Status.gepubliceerd),
    (Status.gepubliceerd, Status.gearchiveerd),
    (Status.gepubliceerd, Status.concept),
    (Status.gearchiveerd, Status.concept),
}


def test_a_new_article_starts_as_concept_and_no_state_is_final() -> None:
    assert ARTIKEL_STATES.initial == Status.concept
    assert ARTIKEL_STATES.final_states() == frozenset()


@pytest.mark.parametrize(("current", "target"), list(itertools.product(Status, Status)))
def test_every_pair_is_allowed_or_an_invalid_transition(current: Status, target: Status) -> None:
    if (current, target) in ALLOWED:
        ARTIKEL_STATES.ensure_move(current, target)
        return
    with pytest.raises(InvalidTransition) as refused:
        ARTIKEL_STATES.ensure_move(current, target)
    assert refused.value.status == 409
    assert refused.value.detail == f"Van {current} naar {target} kan niet."
