"""The state machine of a measure for a person (DESIGN.md C, beveiliging).

geadviseerd → goedgekeurd → geplaatst → beeindigd, and geadviseerd → afgewezen.
Only advisers in reach move a measure; the person concerned only reads it.
"""

from __future__ import annotations

from enum import StrEnum

from services.beveiliging.reach import Actor
from services.common.statemachine import StateMachine


class MaatregelStatus(StrEnum):
    geadviseerd = "geadviseerd"
    goedgekeurd = "goedgekeurd"
    geplaatst = "geplaatst"
    beeindigd = "beeindigd"
    afgewezen = "afgewezen"


class Financier(StrEnum):
    """Who pays for a measure (not a state; kept beside the statuses it is listed with)."""

    gemeente = "gemeente"
    rijk = "rijk"
    eigen = "eigen"


_S = MaatregelStatus

MAATREGEL_MACHINE: StateMachine[MaatregelStatus, Actor] = StateMachine(
    transitions={
        _S.geadviseerd: frozenset({_S.goedgekeurd, _S.afgewezen}),
        _S.goedgekeurd: frozenset({_S.geplaatst}),
        _S.geplaatst: frozenset({_S.beeindigd}),
        _S.beeindigd: frozenset(),
        _S.afgewezen: frozenset(),
    },
    initial=_S.geadviseerd,
    default_requesters=frozenset({Actor.adviseur}),
)


def ensure_move(current: MaatregelStatus, target: MaatregelStatus) -> None:
    """409 `ongeldige-statusovergang` unless the move exists, in beveiliging's wording."""
    MAATREGEL_MACHINE.ensure_move(
        current, target, detail=f"Van {current} naar {target} is niet toegestaan."
    )
