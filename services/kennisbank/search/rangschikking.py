"""Ranking: per (stem, article) an impact computed once at indexing, summed at query time.

An article's score for a question is, per query word (group), the best of its terms'
``gewicht × idf × impact``, summed, times a coordination factor (how many of the query's
words matched). Because the impact depends only on the article itself (its term
frequencies and field lengths, normalised against fixed reference lengths), it is stored
next to the posting and the postings of a stem can be read best-first: the search reads
only as deep into each list as the top of the ranking needs (see ``zoekmachine``), and
both backends store and read the same numbers, so their rankings are identical.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from services.kennisbank.search.zoekvraag import Zoekplan

VELDEN = ("titel", "samenvatting", "inhoud")
TREDE = {"titel": 2.0, "samenvatting": 1.0, "inhoud": 0.0}
"""Where a word stands, as a floor under its impact: the best field an article holds the
word in decides first. The BM25F part below lies in [0, 1), so one title occurrence
(≥ 2) outranks any number of summary occurrences (< 2), and those any number of body-only
occurrences (< 1), of the same word."""
GEWICHT = {"titel": 5.0, "samenvatting": 2.5, "inhoud": 1.0}
"""BM25F field weights within a tier: more occurrences, in more fields, still count."""
B = {"titel": 0.3, "samenvatting": 0.5, "inhoud": 0.75}
REFERENTIELENGTE = {"titel": 6.0, "samenvatting": 20.0, "inhoud": 200.0}
"""Stems per field of a typical article (seed content: 4 / 14 / 158; generated benchmark
articles: 8 / 25 / 250). Fixed rather than the corpus average, so an impact does not go
stale when other articles come and go; migration 0004_zoekindex uses the same numbers."""
K1 = 1.2
VOLGORDE_AANDEEL = 1e-13
"""Per index number added to every impact: articles that would tie (same words, same
lengths) are ordered, more recently indexed first, the same way on every backend, and
a top-k read can stop at a tie instead of reading every tied article to sort them.
Far below the 6 decimals a score is shown with (1e-7 at a million articles)."""
COORDINATIE = 0.7
"""Share of the score that depends on how many of the query's words matched."""


def impact(tf: Mapping[str, int], lengte: Mapping[str, int], nummer: int) -> float:
    """One stem's weight in article ``nummer``, from its occurrences and the field lengths."""
    gewogen = 0.0
    for veld in VELDEN:
        n = tf.get(veld, 0)
        if n:
            norm = 1.0 - B[veld] + B[veld] * lengte.get(veld, 0) / REFERENTIELENGTE[veld]
            gewogen += GEWICHT[veld] * n / norm
    if gewogen == 0.0:
        return 0.0
    trede = next((TREDE[veld] for veld in VELDEN if tf.get(veld, 0)), 0.0)
    return trede + gewogen / (K1 + gewogen) + nummer * VOLGORDE_AANDEEL


@dataclass(frozen=True, slots=True)
class Corpusstatistiek:
    aantal: int
    """Published articles in the index."""
    documentfrequentie: Mapping[str, int]
    """Articles holding each query stem in any field."""


@dataclass(frozen=True, slots=True)
class Score:
    sleutel: str
    score: float
    treffers: int
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


class Weging:
    """The query side of the score: per term its group and ``gewicht × idf``."""

    def __init__(self, plan: Zoekplan, statistiek: Corpusstatistiek) -> None:
        self.aantal_groepen = plan.aantal_groepen
        self.termen = [
            (term.stam, term.groep, term.gewicht * term_idf)
            for term, term_idf in zip(plan.termen, idf_per_term(plan, statistiek), strict=True)
        ]
        per_groep: dict[int, list[tuple[str, float]]] = {}
        for stam, groep, gewicht in self.termen:
            per_groep.setdefault(groep, []).append((stam, gewicht))
        # ascending group: the order the group scores are summed in, the same every time
        self._groepen = [per_groep[groep] for groep in sorted(per_groep)]

    def score(
        self, impacts: Mapping[str, float], anders: Mapping[str, float] | None = None
    ) -> tuple[float, int]:
        """An article's score from its impacts per query stem, and its matched groups;
        a stem missing from ``impacts`` takes its value from ``anders`` (an upper bound)."""
        # called thousands of times per deep search: the lookups bound to locals
        totaal = 0.0
        gevonden = 0
        eigen = impacts.get
        ander = anders.get if anders is not None else None
        for termen in self._groepen:
            beste = 0.0
            geraakt = False
            for stam, gewicht in termen:
                waarde = eigen(stam)
                if waarde is None and ander is not None:
                    waarde = ander(stam)
                if waarde:
                    geraakt = True
                    gewogen = gewicht * waarde
                    if gewogen > beste:
                        beste = gewogen
            if geraakt:
                totaal += beste
                gevonden += 1
        if not gevonden:
            return 0.0, 0
        dekking = gevonden / self.aantal_groepen
        return totaal * (1.0 - COORDINATIE + COORDINATIE * dekking), gevonden

    def bovengrens(self, grenzen: Mapping[str, float]) -> float:
        """The highest score an article not yet seen can have, when no posting of a stem
        below the one read last has a higher impact than ``grenzen[stam]``."""
        return self.score(grenzen)[0] if grenzen else 0.0
