"""A state machine as an explicit table: which moves exist and who may ask for them.

The table is data, so tests can walk every (from, to) pair and the OpenAPI
description can print it. The checks follow the contract's order: first
whether the actor may ever ask for that target (403), then whether the move
exists from the current state (409).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar


class Actor(StrEnum):
    """Who asks for a move, as far as the state machine cares."""

    AANVRAGER = "aanvrager"
    ADVISEUR = "adviseur"


S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True)
class StatusMachine(Generic[S]):
    """Moves (from → allowed targets) and, per target, the actors who may ask for it."""

    overgangen: Mapping[S, frozenset[S]]
    actoren_per_doel: Mapping[S, frozenset[Actor]]
    begin: S

    def mag_vragen(self, actoren: Iterable[Actor], doel: S) -> bool:
        """May one of these actors ever ask for this target? (No: 403.)"""
        toegestaan = self.actoren_per_doel.get(doel, frozenset({Actor.ADVISEUR}))
        return any(actor in toegestaan for actor in actoren)

    def mag_overgaan(self, van: S, naar: S) -> bool:
        """Does the move exist from the current state? (No: 409.)"""
        return naar in self.overgangen.get(van, frozenset())

    def eindstatussen(self) -> frozenset[S]:
        return frozenset(s for s, doelen in self.overgangen.items() if not doelen)

    def tabel(self) -> list[tuple[S, S]]:
        """Every allowed (from, to) pair, in declaration order."""
        return [(van, naar) for van, doelen in self.overgangen.items() for naar in sorted(doelen)]

    def beschrijving(self) -> str:
        """Markdown table for the OpenAPI description."""
        regels = ["| van | naar | door |", "| --- | --- | --- |"]
        for van, naar in self.tabel():
            door = ", ".join(sorted(self.actoren_per_doel.get(naar, frozenset({Actor.ADVISEUR}))))
            regels.append(f"| `{van}` | `{naar}` | {door} |")
        return "\n".join(regels)
