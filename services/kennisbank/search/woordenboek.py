"""Typo tolerance: trigram similarity against the words of the indexed corpus.

The similarity is pg_trgm's (each word padded with two spaces in front and one
behind, Jaccard over the sets of three-letter runs), computed in Python so that
PostgreSQL and SQLite correct a query the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from services.kennisbank.search.analyse import Analysator

MINIMALE_GELIJKENIS = 0.45
MINIMALE_LENGTE = 4


def trigrammen(woord: str) -> frozenset[str]:
    """pg_trgm's trigrams of one folded word."""
    opgevuld = f"  {woord} "
    return frozenset(opgevuld[i : i + 3] for i in range(len(opgevuld) - 2))


def gelijkenis(a: str, b: str) -> float:
    """pg_trgm ``similarity(a, b)`` for single words."""
    ta, tb = trigrammen(a), trigrammen(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


@dataclass(frozen=True, slots=True)
class Correctie:
    woord: str
    voorstel: str
    gelijkenis: float


class Woordenboek:
    """The folded words of the published corpus, with how many articles hold each."""

    def __init__(self, woorden: Mapping[str, int], analyse: Analysator) -> None:
        self._frequentie = dict(woorden)
        self._stammen = {analyse.stam(woord) for woord in woorden}
        self._analyse = analyse
        self._index: dict[str, list[str]] = defaultdict(list)
        for woord in self._frequentie:
            for trigram in trigrammen(woord):
                self._index[trigram].append(woord)

    @classmethod
    def uit_teksten(cls, teksten: Iterable[str], analyse: Analysator) -> Woordenboek:
        """Build from raw texts (one per article): counts articles per word."""
        teller: dict[str, int] = defaultdict(int)
        for tekst in teksten:
            for woord in {token.woord for token in analyse.tokens(tekst)}:
                teller[woord] += 1
        return cls(teller, analyse)

    def __len__(self) -> int:
        return len(self._frequentie)

    def kent_stam(self, stam: str) -> bool:
        return stam in self._stammen

    def zoekt_na(self, woord: str) -> bool:
        """Whether :meth:`corrigeer` would look ``woord`` up (what a correction costs)."""
        if len(woord) < MINIMALE_LENGTE or woord.isdigit():
            return False
        return not self.kent_stam(self._analyse.stam(woord))

    def corrigeer(self, woord: str) -> Correctie | None:
        """The most similar known word, or None when ``woord`` is known or nothing is close."""
        if not self.zoekt_na(woord):
            return None
        eigen = trigrammen(woord)
        gedeeld: dict[str, int] = defaultdict(int)
        for trigram in eigen:
            for kandidaat in self._index.get(trigram, ()):
                gedeeld[kandidaat] += 1
        beste: tuple[float, int, str] | None = None
        for kandidaat, aantal in gedeeld.items():
            score = aantal / (len(eigen) + len(trigrammen(kandidaat)) - aantal)
            if score < MINIMALE_GELIJKENIS:
                continue
            sleutel = (score, self._frequentie[kandidaat], kandidaat)
            # highest similarity, then the most common word, then alphabetical (stable)
            if beste is None or (sleutel[0], sleutel[1], _omgekeerd(sleutel[2])) > (
                beste[0],
                beste[1],
                _omgekeerd(beste[2]),
            ):
                beste = sleutel
        if beste is None:
            return None
        return Correctie(woord, beste[2], beste[0])


def _omgekeerd(woord: str) -> tuple[int, ...]:
    return tuple(-ord(teken) for teken in woord)
