"""The domain synonym list, editable data applied at query time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from services.kennisbank.search.analyse import Analysator, analysator

SYNONIEM_GEWICHT = 0.6
"""A synonym counts for less than the word the user actually typed."""


@dataclass(frozen=True, slots=True)
class Uitbreiding:
    """Extra stems a query gets because a phrase of it appears in a synonym group."""

    positie: int
    """Index of the first query stem of the matched phrase."""
    stammen: tuple[str, ...]


class Synoniemen:
    """Synonym groups reduced to stem sequences with the analyser that searches."""

    def __init__(self, groepen: list[list[str]], analyse: Analysator) -> None:
        self._groepen: list[list[tuple[str, ...]]] = []
        for groep in groepen:
            frases = [tuple(analyse.stammen(frase)) for frase in groep]
            self._groepen.append([frase for frase in frases if frase])

    def breid_uit(self, stammen: list[str]) -> list[Uitbreiding]:
        """For each phrase found in ``stammen``, the stems of its group's other phrases."""
        uitbreidingen: list[Uitbreiding] = []
        for groep in self._groepen:
            for frase in groep:
                positie = _zoek_reeks(stammen, frase)
                if positie is None:
                    continue
                extra: list[str] = []
                for ander in groep:
                    if ander == frase:
                        continue
                    extra.extend(stam for stam in ander if stam not in stammen)
                if extra:
                    uitbreidingen.append(Uitbreiding(positie, tuple(dict.fromkeys(extra))))
                break
        return uitbreidingen


def _zoek_reeks(stammen: list[str], frase: tuple[str, ...]) -> int | None:
    lengte = len(frase)
    for start in range(len(stammen) - lengte + 1):
        if tuple(stammen[start : start + lengte]) == frase:
            return start
    return None


def lees_groepen(tekst: str) -> list[list[str]]:
    """Parse the JSON synonym file: ``{"groepen": [["a", "b c"], …]}``."""
    data: Any = json.loads(tekst)
    groepen = data["groepen"] if isinstance(data, dict) else data
    if not isinstance(groepen, list) or not all(
        isinstance(groep, list) and all(isinstance(woord, str) for woord in groep)
        for groep in groepen
    ):
        raise ValueError("synoniemen: verwacht een lijst van lijsten met woorden")
    return [list(groep) for groep in groepen]


@lru_cache(maxsize=2)
def standaard_synoniemen(algoritme: str | None = None) -> Synoniemen:
    """The synonym list shipped in ``data/synoniemen.json``."""
    bron = resources.files("services.kennisbank.search").joinpath("data/synoniemen.json")
    analyse = analysator(algoritme) if algoritme else analysator()
    return Synoniemen(lees_groepen(bron.read_text(encoding="utf-8")), analyse)
