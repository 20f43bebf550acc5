"""What gets indexed for one article: stems per field and its dictionary words."""

from __future__ import annotations

from dataclasses import dataclass

from services.kennisbank.search.analyse import Analysator


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
