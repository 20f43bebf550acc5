"""The search pipeline, the same for every backend.

A backend (:class:`Zoekbron`) only retrieves: the count, facets and document
frequencies of the query's stems in one go, each stem's postings best-first, and the
stored impacts of given articles. Everything that decides what people see (query
analysis, typo correction, synonyms, scoring, fragments) runs here in Python.

Top-k retrieval is Fagin's threshold algorithm over impact-ordered postings: read the
next slice of every stem's list (best impact first), score each newly seen article
exactly from all its impacts (fetched with the first slices, or afterwards for the
articles that can still make the top k), and stop as soon as the k-th best score
exceeds what an article not yet seen could still reach (the score of the impacts at
the cursors).
The cost follows the depth the answer needs, not the number of matching articles,
and the result is exactly the ranking that scoring every match would give, up to a
depth bound per stem (:data:`MAXIMALE_DIEPTE`) that caps the worst case.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from services.kennisbank.search.analyse import Analysator
from services.kennisbank.search.fragment import maak_fragment
from services.kennisbank.search.rangschikking import Corpusstatistiek, Score, Weging
from services.kennisbank.search.synoniemen import Synoniemen
from services.kennisbank.search.woordenboek import Woordenboek
from services.kennisbank.search.zoekvraag import maak_zoekplan

EERSTE_DIEPTE = 20
"""Postings per stem read in the first round; each further round reads four times more."""
LAATSTE_OPHAALRONDE = 8
"""In that last round, the remaining impacts are fetched for at most 8 × k articles
(highest upper bound first)."""
MAXIMALE_DIEPTE = 320
"""Postings per stem read at most (rounds of 20, 80, 320): the bound on what one search
costs, whatever the corpus. Reached only when hundreds of articles hold the query's
words in the same field with near-equal impacts (e.g. hundreds sharing a title); the
answer is then the best among the articles those postings name, exactly scored, which
may differ from scoring every match only among such near-equals."""


@dataclass(frozen=True, slots=True)
class Filters:
    thema: str | None = None
    doelgroep: str | None = None
    type: str | None = None


@dataclass(frozen=True, slots=True)
class Weergave:
    slug: str
    titel: str
    samenvatting: str
    tekst: str


@dataclass(frozen=True, slots=True)
class Treffer:
    slug: str
    titel: str
    samenvatting: str
    fragment: str
    score: float


@dataclass(frozen=True, slots=True)
class Facetten:
    themas: dict[str, int] = field(default_factory=dict)
    doelgroepen: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Overzicht:
    aantal: int
    """Articles holding any stem, with all filters."""
    facetten: Facetten
    statistiek: Corpusstatistiek


@dataclass(frozen=True, slots=True)
class Zoekresultaat:
    aantal: int
    treffers: list[Treffer]
    facetten: Facetten
    suggestie: str | None


class Zoekbron(Protocol):
    """What a backend must answer; all of it over published articles only."""

    async def woordenboek(self) -> Woordenboek: ...

    async def overzicht(self, stammen: Sequence[str], filters: Filters) -> Overzicht:
        """Count and facets of the articles holding any stem (each facet counted with the
        other filters applied, not its own), the number of articles in the index and each
        stem's document frequency (unfiltered)."""
        ...

    async def postings(
        self, stammen: Sequence[str], filters: Filters, van: int, tot: int
    ) -> dict[str, list[tuple[str, float]]]:
        """Per stem, positions ``van`` to ``tot`` of its postings that pass the filters,
        ordered by impact (highest first, then by key descending): (key, impact)."""
        ...

    async def impacten(
        self, sleutels: Sequence[str], stammen: Sequence[str]
    ) -> dict[str, dict[str, float]]:
        """For each article, the impact of every one of ``stammen`` it holds."""
        ...

    async def lees(
        self, open_: Sequence[str], stammen: Sequence[str], filters: Filters, van: int, tot: int
    ) -> tuple[dict[str, list[tuple[str, float]]], dict[str, dict[str, float]]]:
        """:meth:`postings` of the stems ``open_`` and, for every article those slices
        name, :meth:`impacten` over all ``stammen``: one read (one statement) per round."""
        ...

    async def weergaven(self, sleutels: Sequence[str]) -> dict[str, Weergave]: ...


async def beste(
    bron: Zoekbron, weging: Weging, stammen: Sequence[str], filters: Filters, k: int
) -> list[Score]:
    """The ``k`` best articles, best first.

    The threshold algorithm with pruned random access: what the slices read so far say
    about an article gives a lower bound (its impacts seen) and an upper bound (for a stem
    whose list has not shown it yet, the impact at that list's cursor). Only articles
    whose upper bound reaches the k-th lower bound have their remaining impacts fetched.
    The first round reads its slices and all query impacts of the articles they name in
    one statement (:meth:`Zoekbron.lees`): most questions are answered by it alone, and
    at 20 postings per stem the extra lookups cost less than a second round trip.
    """
    stand = _Stand(weging, stammen)
    diepste = max(MAXIMALE_DIEPTE, k)
    van, tot = 0, max(EERSTE_DIEPTE, k)
    while True:
        open_ = stand.open()
        if van == 0:
            lijsten, volledig = await bron.lees(open_, stammen, filters, van, tot)
            stand.voltooi(volledig, volledig)
        else:
            lijsten = await bron.postings(open_, filters, van, tot)
        stand.neem_lijsten(open_, lijsten, tot - van)
        klaar = len(stand.uitgeput) == len(stammen)
        drempel = _kde(stand.ondergrens, k)
        ophalen = stand.kandidaten(drempel, k, laatste=tot >= diepste)
        if ophalen:
            stand.voltooi(await bron.impacten(ophalen, stammen), ophalen)
            drempel = _kde(stand.ondergrens, k)
        if klaar or (len(stand.bekend) >= k and drempel > weging.bovengrens(stand.grenzen)):
            break
        if tot >= diepste:
            break
        van, tot = tot, min(tot * 4, diepste)
    return stand.beste(k)


@dataclass
class _Stand:
    """What the slices read so far say about each article (the state of `beste`)."""

    weging: Weging
    stammen: Sequence[str]
    bekend: dict[str, dict[str, float]] = field(default_factory=dict)
    compleet: set[str] = field(default_factory=set)
    uitgeput: set[str] = field(default_factory=set)
    grenzen: dict[str, float] = field(default_factory=dict)
    ondergrens: dict[str, float] = field(default_factory=dict)

    def open(self) -> list[str]:
        """The stems whose lists are not read to the end."""
        return [s for s in self.stammen if s not in self.uitgeput]

    def voltooi(
        self, impacten_per_artikel: Mapping[str, Mapping[str, float]], sleutels: Iterable[str]
    ) -> None:
        """All query impacts of these articles are known now."""
        for sleutel, impacten in impacten_per_artikel.items():
            self.bekend[sleutel] = dict(impacten)
            self.ondergrens[sleutel] = self.weging.score(impacten)[0]
        self.compleet.update(sleutels)

    def neem_lijsten(
        self, open_: Sequence[str], lijsten: Mapping[str, list[tuple[str, float]]], lengte: int
    ) -> None:
        """Take in one slice (of ``lengte`` postings) per open stem."""
        nieuw: set[str] = set()
        for stam in open_:
            lijst = lijsten.get(stam, [])
            if len(lijst) < lengte:
                self.uitgeput.add(stam)
                self.grenzen.pop(stam, None)
            else:
                self.grenzen[stam] = lijst[-1][1]
            for sleutel, waarde in lijst:
                if sleutel not in self.compleet:
                    self.bekend.setdefault(sleutel, {})[stam] = waarde
                    nieuw.add(sleutel)
        for sleutel in nieuw:
            self.ondergrens[sleutel] = self.weging.score(self.bekend[sleutel])[0]
        # complete: every list has shown it or is read to the end (a set comparison per
        # article, not a loop over the stems: this ran for every article seen, each round)
        nodig = {s for s in self.stammen if s not in self.uitgeput}
        compleet = self.compleet
        for sleutel, gezien in self.bekend.items():
            if sleutel not in compleet and gezien.keys() >= nodig:
                compleet.add(sleutel)

    def kandidaten(self, drempel: float, k: int, *, laatste: bool) -> list[str]:
        """The incomplete articles whose upper bound reaches ``drempel``, sorted; in the
        ``laatste`` round the bound allows, only the most promising ones."""
        bovengrenzen = {
            sleutel: self.weging.score(gezien, self.grenzen)[0]
            for sleutel, gezien in self.bekend.items()
            if sleutel not in self.compleet
        }
        ophalen = sorted(s for s, grens in bovengrenzen.items() if grens >= drempel)
        if laatste and len(ophalen) > LAATSTE_OPHAALRONDE * k:
            meest = heapq.nlargest(LAATSTE_OPHAALRONDE * k, ophalen, key=bovengrenzen.__getitem__)
            ophalen = sorted(meest)
        return ophalen

    def beste(self, k: int) -> list[Score]:
        # every article that can still be among the best k is complete now; equal scores
        # cannot happen in practice (rangschikking.VOLGORDE_AANDEEL), the key is the last resort
        ondergrens = self.ondergrens
        beste_k = sorted(self.compleet, key=lambda s: (-ondergrens[s], s))[:k]
        return [
            Score(s, round(ondergrens[s], 6), self.weging.score(self.bekend[s])[1]) for s in beste_k
        ]


def _kde(waarden: Mapping[str, float], k: int) -> float:
    """The k-th largest value (0 when there are fewer)."""
    if len(waarden) < k:
        return 0.0
    return heapq.nlargest(k, waarden.values())[-1]


async def zoek(
    bron: Zoekbron,
    vraag: str,
    filters: Filters,
    *,
    pagina: int,
    grootte: int,
    analyse: Analysator,
    synoniemen: Synoniemen | None,
) -> Zoekresultaat:
    """Run one search: ``pagina`` counts from 1."""
    woordenboek = await bron.woordenboek()
    plan = maak_zoekplan(vraag, analyse=analyse, synoniemen=synoniemen, woordenboek=woordenboek)
    if plan.leeg:
        return Zoekresultaat(0, [], Facetten(), plan.suggestie)
    stammen = plan.stammen
    overzicht = await bron.overzicht(stammen, filters)
    if overzicht.aantal == 0:
        return Zoekresultaat(0, [], overzicht.facetten, plan.suggestie)
    weging = Weging(plan, overzicht.statistiek)
    scores = await beste(bron, weging, stammen, filters, pagina * grootte)
    deze_pagina = scores[(pagina - 1) * grootte : pagina * grootte]
    weergaven = await bron.weergaven([s.sleutel for s in deze_pagina])
    treffers = []
    for score in deze_pagina:
        weergave = weergaven[score.sleutel]
        fragment = maak_fragment([weergave.samenvatting, weergave.tekst], stammen, analyse)
        treffers.append(
            Treffer(weergave.slug, weergave.titel, weergave.samenvatting, fragment, score.score)
        )
    return Zoekresultaat(overzicht.aantal, treffers, overzicht.facetten, plan.suggestie)
