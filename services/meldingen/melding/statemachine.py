"""The status transitions of a melding and who may make them (DESIGN.md table)."""

from __future__ import annotations

from services.meldingen.melding.enums import Status

HANDLER_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.ontvangen: frozenset({Status.in_behandeling, Status.doorverwezen, Status.afgehandeld}),
    Status.in_behandeling: frozenset({Status.doorverwezen, Status.afgehandeld}),
    Status.doorverwezen: frozenset({Status.in_behandeling, Status.afgehandeld}),
    Status.afgehandeld: frozenset({Status.in_behandeling}),
    Status.ingetrokken: frozenset(),
}
MELDER_MAY_WITHDRAW_FROM = frozenset({Status.ontvangen, Status.in_behandeling, Status.doorverwezen})
CLOSED = frozenset({Status.afgehandeld, Status.ingetrokken})


def handler_may_move(current: Status, target: Status) -> bool:
    return target in HANDLER_TRANSITIONS[current]


def melder_may_withdraw(current: Status) -> bool:
    return current in MELDER_MAY_WITHDRAW_FROM
