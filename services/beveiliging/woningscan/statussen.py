"""The woningscan state machine (DESIGN.md C, beveiliging).

aangevraagd → ingepland → uitgevoerd → advies_opgeleverd → afgerond, and any
open state → geannuleerd. Cancelling may be asked by the requester or an
adviser in reach; every other move by advisers only.
"""

from __future__ import annotations

from enum import StrEnum

from services.beveiliging.statusmachine import Actor, StatusMachine


class WoningscanStatus(StrEnum):
    AANGEVRAAGD = "aangevraagd"
    INGEPLAND = "ingepland"
    UITGEVOERD = "uitgevoerd"
    ADVIES_OPGELEVERD = "advies_opgeleverd"
    AFGEROND = "afgerond"
    GEANNULEERD = "geannuleerd"


_S = WoningscanStatus

OPEN_STATUSSEN = frozenset({_S.AANGEVRAAGD, _S.INGEPLAND, _S.UITGEVOERD, _S.ADVIES_OPGELEVERD})

WONINGSCAN_MACHINE: StatusMachine[WoningscanStatus] = StatusMachine(
    overgangen={
        _S.AANGEVRAAGD: frozenset({_S.INGEPLAND, _S.GEANNULEERD}),
        _S.INGEPLAND: frozenset({_S.UITGEVOERD, _S.GEANNULEERD}),
        _S.UITGEVOERD: frozenset({_S.ADVIES_OPGELEVERD, _S.GEANNULEERD}),
        _S.ADVIES_OPGELEVERD: frozenset({_S.AFGEROND, _S.GEANNULEERD}),
        _S.AFGEROND: frozenset(),
        _S.GEANNULEERD: frozenset(),
    },
    actoren_per_doel={
        _S.AANGEVRAAGD: frozenset({Actor.ADVISEUR}),
        _S.INGEPLAND: frozenset({Actor.ADVISEUR}),
        _S.UITGEVOERD: frozenset({Actor.ADVISEUR}),
        _S.ADVIES_OPGELEVERD: frozenset({Actor.ADVISEUR}),
        _S.AFGEROND: frozenset({Actor.ADVISEUR}),
        _S.GEANNULEERD: frozenset({Actor.AANVRAGER, Actor.ADVISEUR}),
    },
    begin=_S.AANGEVRAAGD,
)
