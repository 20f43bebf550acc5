"""A state machine as an explicit table, declared by each service (`<subdomain>/states.py`).

The table is data, so tests can walk every (from, to) pair and an OpenAPI description can
print it. It answers two questions, in the contract's order:

1. may one of these actors ever ask for this target?  `may_request` (no: the service's 403)
2. does the move exist from the current state?        `may_move` / `ensure_move` (no: 409)

Actors are whatever the service distinguishes (a role enum, say); a machine that does not
care who asks leaves `requesters` empty. A refused move is one error everywhere:
`InvalidTransition`, 409 `urn:weerbaar:probleem:ongeldige-statusovergang`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

from services.common.problems import Conflict

S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=Hashable)


class InvalidTransition(Conflict):
    """409: the move does not exist from the current state."""

    code = "ongeldige-statusovergang"
    title = "Deze statusovergang is niet toegestaan."


@dataclass(frozen=True)
class StateMachine(Generic[S, A]):
    """Moves (from → allowed targets) and, per target, the actors who may ask for it.

    `transitions` names every state, a final state with an empty set. A target absent from
    `requesters` may be asked for by `default_requesters`.
    """

    transitions: Mapping[S, frozenset[S]]
    initial: S
    requesters: Mapping[S, frozenset[A]] = field(default_factory=dict)
    default_requesters: frozenset[A] = frozenset()

    def __post_init__(self) -> None:
        states = set(self.transitions)
        if self.initial not in states:
            raise ValueError(f"initial state {self.initial!r} is not in the table")
        unknown = {t for targets in self.transitions.values() for t in targets} - states
        unknown |= set(self.requesters) - states
        if unknown:
            raise ValueError(f"states outside the table: {sorted(map(str, unknown))}")

    @property
    def states(self) -> frozenset[S]:
        return frozenset(self.transitions)

    def actors_for(self, target: S) -> frozenset[A]:
        """Who may ask for this target."""
        return self.requesters.get(target, self.default_requesters)

    def may_request(self, actors: Iterable[A], target: S) -> bool:
        """May one of these actors ever ask for this target? (No: the service's 403.)"""
        allowed = self.actors_for(target)
        return any(actor in allowed for actor in actors)

    def targets(self, current: S) -> frozenset[S]:
        return self.transitions.get(current, frozenset())

    def may_move(self, current: S, target: S) -> bool:
        """Does the move exist from the current state? (No: 409.)"""
        return target in self.targets(current)

    def ensure_move(self, current: S, target: S, *, detail: str | None = None) -> None:
        """Raise `InvalidTransition` (409) unless the move exists."""
        if not self.may_move(current, target):
            raise InvalidTransition(detail or f"Van {current} naar {target} kan niet.")

    def final_states(self) -> frozenset[S]:
        return frozenset(s for s, targets in self.transitions.items() if not targets)

    def pairs(self) -> list[tuple[S, S]]:
        """Every allowed (from, to) pair, in declaration order (targets sorted)."""
        return [(s, t) for s, targets in self.transitions.items() for t in sorted(targets)]

    def describe(self) -> str:
        """Markdown table (van | naar | door) for an OpenAPI description."""
        lines = ["| van | naar | door |", "| --- | --- | --- |"]
        for current, target in self.pairs():
            actors = ", ".join(sorted(str(a) for a in self.actors_for(target)))
            lines.append(f"| `{current}` | `{target}` | {actors} |")
        return "\n".join(lines)
