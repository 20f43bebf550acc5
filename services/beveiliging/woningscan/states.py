"""The woningscan state machine (DESIGN.md C, beveiliging), on the common StateMachine.

aangevraagd → ingepland → uitgevoerd → advies_opgeleverd → afgerond, and any
open state → geannuleerd. Cancelling may be asked by the requester or an
adviser in reach; every other move by advisers only.
"""

from __future__ import annotations

from enum import StrEnum

from services.beveiliging.reach import Actor
from services.common.statemachine import StateMachine


class WoningscanStatus(StrEnum):
    aangevraagd = "aangevraagd"
    ingepland = "ingepland"
    uitgevoerd = "uitgevoerd"
    advies_opgeleverd = "advies_opgeleverd"
    afgerond = "afgerond"
    geannuleerd = "geannuleerd"


_S = WoningscanStatus

OPEN_STATUSSEN = frozenset({_S.aangevraagd, _S.ingepland, _S.uitgevoerd, _S.advies_opgeleverd})

WONINGSCAN_MACHINE: StateMachine[WoningscanStatus, Actor] = StateMachine(
    transitions={
        _S.aangevraagd: frozenset({_S.ingepland, _S.geannuleerd}),
        _S.ingepland: frozenset({_S.uitgevoerd, _S.geannuleerd}),
        _S.uitgevoerd: frozenset({_S.advies_opgeleverd, _S.geannuleerd}),
        _S.advies_opgeleverd: frozenset({_S.afgerond, _S.geannuleerd}),
        _S.afgerond: frozenset(),
        _S.geannuleerd: frozenset(),
    },
    initial=_S.aangevraagd,
    requesters={_S.geannuleerd: frozenset({Actor.aanvrager, Actor.adviseur})},
    default_requesters=frozenset({Actor.adviseur}),
)


def ensure_move(current: WoningscanStatus, target: WoningscanStatus) -> None:
    """409 `ongeldige-statusovergang` unless the move exists, in beveiliging's wording."""
    WONINGSCAN_MACHINE.ensure_move(
        current, target, detail=f"Van {current} naar {target} is niet toegestaan."
    )
