"""The editorial workflow of an article, as a table on the common state machine.

concept → gepubliceerd → gearchiveerd, and back to concept from either. Only editors change
a status at all (the role is checked before the table), so the table names no actors.
"""

from __future__ import annotations

from services.common.statemachine import StateMachine
from services.kennisbank.artikel.enums import Status

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.concept: frozenset({Status.gepubliceerd}),
    Status.gepubliceerd: frozenset({Status.gearchiveerd, Status.concept}),
    Status.gearchiveerd: frozenset({Status.concept}),
}

ARTIKEL_STATES: StateMachine[Status, str] = StateMachine(
    transitions=TRANSITIONS, initial=Status.concept
)
