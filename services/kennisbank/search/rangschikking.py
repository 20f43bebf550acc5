"""Ranking in Python over any backend's candidates: BM25F with a coordination factor.

Both backends hand over the same facts for a candidate (per field: its length
and how often each query stem occurs) and the same corpus statistics, so the
order and the scores are identical on PostgreSQL and SQLite.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from services.kennisbank.search.zoekvraag import Zoekplan

VELDEN = ("titel", "samenvatting", "inhoud")
GEWICHT = {"titel": 5.0, "samenvatting": 2.5, "inhoud": 1.0}
"""Where a word is found: title above summary above body."""
VOORSCORE = {"titel": 5.0, "samenvatting": 2.5, "inhoud": 1.0}
"""The backends' cheap pre-score per field holding a stem (no tf, no lengths)."""
B = {"titel": 0.3, "samenvatting": 0.5, "inhoud": 0.75}
K1 = 1.2
COORDINATIE = 0.7
"""Share of the score that depends on how many of the query's words matched."""


@dataclass(frozen=True, slots=True)
class Kandidaat:
    sleutel: str
    lengte: Mapping[str, int]
    """Number of indexed stems per field."""
    frequentie: Mapping[str, Mapping[str, int]]
    """Per field: stem → occurrences (only the query's stems are needed)."""
    volgorde: str = ""
    """Tie-breaker that is the same on every backend (the slug; ids differ per database)."""

    @classmethod
    def uit_stammen(
        cls,
        sleutel: str,
        velden: Mapping[str, Sequence[str]],
        alleen: set[str] | None = None,
        volgorde: str | None = None,
    ) -> Kandidaat:
        frequentie: dict[str, dict[str, int]] = {}
        for veld, stammen in velden.items():
            teller = Counter(stammen if alleen is None else (s for s in stammen if s in alleen))
            frequentie[veld] = dict(teller)
        return cls(
            sleutel, {veld: len(s) for veld, s in velden.items()}, frequentie, volgorde or sleutel
        )


@dataclass(frozen=True, slots=True)
class Corpusstatistiek:
    aantal: int
    """Published articles in the index."""
    totale_lengte: Mapping[str, int]
    """Sum of field lengths over those articles."""
    documentfrequentie: Mapping[str, int]
    """Articles holding each query stem in any field."""


@dataclass(frozen=True, slots=True)
class Score:
    sleutel: str
    score: float
    treffers: int
    volgorde: str = ""
    """How many of the query's words (groups) the article matched."""


def idf(aantal: int, df: int) -> float:
    return math.log(1.0 + (aantal - df + 0.5) / (df + 0.5))


def idf_per_term(plan: Zoekplan, statistiek: Corpusstatistiek) -> list[float]:
    """Each term's idf; a synonym never weighs more than the word it stands in for
    (when that word occurs at all), so a rare synonym cannot outrank the typed word."""
    df = statistiek.documentfrequentie
    eigen: dict[int, float] = {}
    for term in plan.termen:
        if not term.synoniem and df.get(term.stam, 0) > 0:
            eigen[term.groep] = idf(statistiek.aantal, df[term.stam])
    waarden = []
    for term in plan.termen:
        waarde = idf(statistiek.aantal, df.get(term.stam, 0))
        if term.synoniem and term.groep in eigen:
            waarde = min(waarde, eigen[term.groep])
        waarden.append(waarde)
    return waarden


def rangschik(
    plan: Zoekplan, kandidaten: Sequence[Kandidaat], statistiek: Corpusstatistiek
) -> list[Score]:
    """Score every candidate; best first, ties by slug so paging is stable."""
    if plan.leeg or statistiek.aantal == 0:
        return []
    gemiddeld = {
        veld: max(statistiek.totale_lengte.get(veld, 0) / statistiek.aantal, 1.0) for veld in VELDEN
    }
    gewichten_idf = list(zip(plan.termen, idf_per_term(plan, statistiek), strict=True))
    scores: list[Score] = []
    for kandidaat in kandidaten:
        norm = {
            veld: 1.0 - B[veld] + B[veld] * kandidaat.lengte.get(veld, 0) / gemiddeld[veld]
            for veld in VELDEN
        }
        per_groep: dict[int, float] = {}
        for term, term_idf in gewichten_idf:
            gewogen = 0.0
            for veld in VELDEN:
                tf = kandidaat.frequentie.get(veld, {}).get(term.stam, 0)
                if tf:
                    gewogen += GEWICHT[veld] * tf / norm[veld]
            if gewogen == 0.0:
                continue
            bijdrage = term.gewicht * term_idf * gewogen / (K1 + gewogen)
            per_groep[term.groep] = max(per_groep.get(term.groep, 0.0), bijdrage)
        if not per_groep:
            continue
        dekking = len(per_groep) / plan.aantal_groepen
        totaal = sum(per_groep[groep] for groep in sorted(per_groep))
        score = totaal * (1.0 - COORDINATIE + COORDINATIE * dekking)
        scores.append(Score(kandidaat.sleutel, round(score, 6), len(per_groep), kandidaat.volgorde))
    scores.sort(key=lambda s: (-s.score, s.volgorde, s.sleutel))
    return scores
