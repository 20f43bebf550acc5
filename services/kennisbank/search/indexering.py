"""What gets indexed for one article: stems per field, their impacts, dictionary words."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from services.kennisbank.search.analyse import Analysator
from services.kennisbank.search.rangschikking import VELDEN, impact


@dataclass(frozen=True, slots=True)
class Indexvelden:
    titel: tuple[str, ...]
    samenvatting: tuple[str, ...]
    inhoud: tuple[str, ...]
    woorden: frozenset[str]
    """Folded surface words, for the typo dictionary."""

    def als_dict(self) -> dict[str, tuple[str, ...]]:
        return {"titel": self.titel, "samenvatting": self.samenvatting, "inhoud": self.inhoud}

    @property
    def stammen(self) -> frozenset[str]:
        return frozenset(self.titel + self.samenvatting + self.inhoud)

    def tellingen(self) -> dict[str, dict[str, int]]:
        """Per stem its occurrences per field (sorted by stem)."""
        velden = self.als_dict()
        per_veld = {veld: Counter(velden[veld]) for veld in VELDEN}
        return {
            stam: {veld: per_veld[veld][stam] for veld in VELDEN} for stam in sorted(self.stammen)
        }

    def impacten(self, nummer: int) -> dict[str, float]:
        """Per stem its impact in this article, number ``nummer`` in the index."""
        lengte = {veld: len(stammen) for veld, stammen in self.als_dict().items()}
        return {stam: impact(tf, lengte, nummer) for stam, tf in self.tellingen().items()}


def indexeer(analyse: Analysator, *, titel: str, samenvatting: str, tekst: str) -> Indexvelden:
    """Analyse an article's title, summary and plain body text."""
    tokens = {
        "titel": analyse.tokens(titel),
        "samenvatting": analyse.tokens(samenvatting),
        "inhoud": analyse.tokens(tekst),
    }
    woorden = frozenset(
        t.woord for lijst in tokens.values() for t in lijst if not t.woord.isdigit()
    )
    return Indexvelden(
        titel=tuple(t.stam for t in tokens["titel"]),
        samenvatting=tuple(t.stam for t in tokens["samenvatting"]),
        inhoud=tuple(t.stam for t in tokens["inhoud"]),
        woorden=woorden,
    )
