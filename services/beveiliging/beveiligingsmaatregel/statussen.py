"""The state machine of a measure for a person (DESIGN.md C, beveiliging).

geadviseerd → goedgekeurd → geplaatst → beeindigd, and geadviseerd → afgewezen.
Only advisers in reach move a measure; the person concerned only reads it.
"""

from __future__ import annotations

from enum import StrEnum

from services.beveiliging.statusmachine import Actor, StatusMachine


class MaatregelStatus(StrEnum):
    GEADVISEERD = "geadviseerd"
    GOEDGEKEURD = "goedgekeurd"
    GEPLAATST = "geplaatst"
    BEEINDIGD = "beeindigd"
    AFGEWEZEN = "afgewezen"


class Financier(StrEnum):
    GEMEENTE = "gemeente"
    RIJK = "rijk"
    EIGEN = "eigen"


_S = MaatregelStatus
_ADVISEUR = frozenset({Actor.ADVISEUR})

MAATREGEL_MACHINE: StatusMachine[MaatregelStatus] = StatusMachine(
    overgangen={
        _S.GEADVISEERD: frozenset({_S.GOEDGEKEURD, _S.AFGEWEZEN}),
        _S.GOEDGEKEURD: frozenset({_S.GEPLAATST}),
        _S.GEPLAATST: frozenset({_S.BEEINDIGD}),
        _S.BEEINDIGD: frozenset(),
        _S.AFGEWEZEN: frozenset(),
    },
    actoren_per_doel={status: _ADVISEUR for status in MaatregelStatus},
    begin=_S.GEADVISEERD,
)
