"""The status transitions of a melding and who may ask for them (DESIGN.md table).

Handlers (behandelaar) make every move except withdrawal; only the melder withdraws
(→ ingetrokken), from any state but afgehandeld and ingetrokken. A move outside the table
is 409 `ongeldige-statusovergang`; asking for a target one's actor may not request is 403
(the service checks who the caller is to this melding before the table).
"""

from __future__ import annotations

from services.common.statemachine import StateMachine
from services.meldingen.melding.enums import Rol, Status

_S = Status

TRANSITIONS: dict[Status, frozenset[Status]] = {
    _S.ontvangen: frozenset({_S.in_behandeling, _S.doorverwezen, _S.afgehandeld, _S.ingetrokken}),
    _S.in_behandeling: frozenset({_S.doorverwezen, _S.afgehandeld, _S.ingetrokken}),
    _S.doorverwezen: frozenset({_S.in_behandeling, _S.afgehandeld, _S.ingetrokken}),
    _S.afgehandeld: frozenset({_S.in_behandeling}),
    _S.ingetrokken: frozenset(),
}

MELDING_STATES: StateMachine[Status, Rol] = StateMachine(
    transitions=TRANSITIONS,
    initial=_S.ontvangen,
    requesters={_S.ingetrokken: frozenset({Rol.melder})},
    default_requesters=frozenset({Rol.behandelaar}),
)

# Closed for the clock and retention: afgehandeld can be reopened, so it is not a final state.
CLOSED = frozenset({_S.afgehandeld, _S.ingetrokken})
