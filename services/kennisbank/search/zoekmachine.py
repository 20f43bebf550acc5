"""The search pipeline, the same for every backend.

A backend (:class:`Zoekbron`) only retrieves: which published articles hold any
of the stems, the counts and facets, corpus statistics and the dictionary.
Everything that decides what people see (query analysis, typo correction,
synonyms, ranking, fragments) runs here in Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from services.kennisbank.search.analyse import Analysator
from services.kennisbank.search.fragment import maak_fragment
from services.kennisbank.search.rangschikking import (
    Corpusstatistiek,
    Kandidaat,
    idf_per_term,
    rangschik,
)
from services.kennisbank.search.synoniemen import Synoniemen
from services.kennisbank.search.woordenboek import Woordenboek
from services.kennisbank.search.zoekvraag import maak_zoekplan

KANDIDATEN = 400
"""Candidates a backend hands over for ranking; with fewer matches, all are ranked."""


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
class Zoekresultaat:
    aantal: int
    treffers: list[Treffer]
    facetten: Facetten
    suggestie: str | None


class Zoekbron(Protocol):
    """What a backend must answer; all of it over published articles only."""

    async def woordenboek(self) -> Woordenboek: ...

    async def tel(self, stammen: Sequence[str], filters: Filters) -> tuple[int, Facetten]:
        """Articles holding any stem with all filters, and the facets (each facet
        counted with the other filters applied, not its own)."""
        ...

    async def kandidaten(
        self, gewichten: Mapping[str, float], filters: Filters, limiet: int, aantal: int
    ) -> list[Kandidaat]:
        """Articles holding any stem, with the facts the ranking needs. With more than
        ``limiet`` matches (``aantal``), the backend keeps the ``limiet`` best by a cheap
        pre-score: the sum of ``gewichten`` (idf) of the stems held, title 5 / summary 2.5 /
        body 1 — the same SQL on both databases."""
        ...

    async def statistiek(self, stammen: Sequence[str]) -> Corpusstatistiek: ...

    async def weergaven(self, sleutels: Sequence[str]) -> dict[str, Weergave]: ...


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
    aantal, facetten = await bron.tel(stammen, filters)
    if aantal == 0:
        return Zoekresultaat(0, [], facetten, plan.suggestie)
    statistiek = await bron.statistiek(stammen)
    gewichten: dict[str, float] = {}
    for term, term_idf_waarde in zip(plan.termen, idf_per_term(plan, statistiek), strict=True):
        gewicht = term.gewicht * term_idf_waarde
        gewichten[term.stam] = max(gewichten.get(term.stam, 0.0), round(gewicht, 6))
    limiet = max(KANDIDATEN, pagina * grootte)
    kandidaten = await bron.kandidaten(gewichten, filters, limiet, aantal)
    scores = rangschik(plan, kandidaten, statistiek)
    deze_pagina = scores[(pagina - 1) * grootte : pagina * grootte]
    weergaven = await bron.weergaven([s.sleutel for s in deze_pagina])
    treffers = []
    for score in deze_pagina:
        weergave = weergaven[score.sleutel]
        fragment = maak_fragment([weergave.samenvatting, weergave.tekst], stammen, analyse)
        treffers.append(
            Treffer(weergave.slug, weergave.titel, weergave.samenvatting, fragment, score.score)
        )
    return Zoekresultaat(aantal, treffers, facetten, plan.suggestie)
