"""An in-memory :class:`Zoekbron`: the reference the database backends must agree with.

Used by the unit tests and the relevance measurement; it holds published articles
only, like the index tables do, and the same impacts (``indexering.impacten``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from services.kennisbank.search.analyse import Analysator
from services.kennisbank.search.indexering import indexeer
from services.kennisbank.search.rangschikking import Corpusstatistiek
from services.kennisbank.search.woordenboek import Woordenboek
from services.kennisbank.search.zoekmachine import (
    Facetten,
    Filters,
    Overzicht,
    Weergave,
)


@dataclass(frozen=True, slots=True)
class ZoekDocument:
    sleutel: str
    slug: str
    titel: str
    samenvatting: str
    tekst: str
    themas: tuple[str, ...] = ()
    doelgroepen: tuple[str, ...] = ()
    type: str = "handreiking"


class GeheugenIndex:
    def __init__(self, documenten: Iterable[ZoekDocument], analyse: Analysator) -> None:
        self._analyse = analyse
        self._documenten: dict[str, ZoekDocument] = {}
        self._impacten: dict[str, dict[str, float]] = {}
        postings: dict[str, list[tuple[float, str]]] = defaultdict(list)
        woorden: Counter[str] = Counter()
        for nummer, document in enumerate(documenten, start=1):
            velden = indexeer(
                analyse,
                titel=document.titel,
                samenvatting=document.samenvatting,
                tekst=document.tekst,
            )
            self._documenten[document.sleutel] = document
            self._impacten[document.sleutel] = velden.impacten(nummer)
            for stam, waarde in self._impacten[document.sleutel].items():
                postings[stam].append((waarde, document.sleutel))
            woorden.update(velden.woorden)
        # best first, ties by key descending: the order of the database index
        self._postings = {stam: sorted(lijst, reverse=True) for stam, lijst in postings.items()}
        self._woordenboek = Woordenboek(woorden, analyse)

    async def woordenboek(self) -> Woordenboek:
        return self._woordenboek

    def _past(self, sleutel: str, filters: Filters) -> bool:
        document = self._documenten[sleutel]
        return (
            (filters.thema is None or filters.thema in document.themas)
            and (filters.doelgroep is None or filters.doelgroep in document.doelgroepen)
            and (filters.type is None or filters.type == document.type)
        )

    async def overzicht(self, stammen: Sequence[str], filters: Filters) -> Overzicht:
        treffers = {s for stam in stammen for _, s in self._postings.get(stam, ())}
        aantal = sum(1 for s in treffers if self._past(s, filters))
        zonder_thema = Filters(None, filters.doelgroep, filters.type)
        zonder_doelgroep = Filters(filters.thema, None, filters.type)
        themas: Counter[str] = Counter()
        doelgroepen: Counter[str] = Counter()
        for sleutel in treffers:
            document = self._documenten[sleutel]
            if self._past(sleutel, zonder_thema):
                themas.update(document.themas)
            if self._past(sleutel, zonder_doelgroep):
                doelgroepen.update(document.doelgroepen)
        df = {stam: len(self._postings[stam]) for stam in stammen if stam in self._postings}
        return Overzicht(
            aantal,
            Facetten(dict(sorted(themas.items())), dict(sorted(doelgroepen.items()))),
            Corpusstatistiek(len(self._documenten), df),
        )

    async def postings(
        self, stammen: Sequence[str], filters: Filters, van: int, tot: int
    ) -> dict[str, list[tuple[str, float]]]:
        resultaat: dict[str, list[tuple[str, float]]] = {}
        for stam in stammen:
            passend = [(s, w) for w, s in self._postings.get(stam, ()) if self._past(s, filters)]
            resultaat[stam] = passend[van:tot]
        return resultaat

    async def impacten(
        self, sleutels: Sequence[str], stammen: Sequence[str]
    ) -> dict[str, dict[str, float]]:
        return {
            s: {stam: self._impacten[s][stam] for stam in stammen if stam in self._impacten[s]}
            for s in sleutels
        }

    async def lees(
        self, open_: Sequence[str], stammen: Sequence[str], filters: Filters, van: int, tot: int
    ) -> tuple[dict[str, list[tuple[str, float]]], dict[str, dict[str, float]]]:
        lijsten = await self.postings(open_, filters, van, tot)
        sleutels = sorted({s for lijst in lijsten.values() for s, _ in lijst})
        return lijsten, await self.impacten(sleutels, stammen)

    async def weergaven(self, sleutels: Sequence[str]) -> dict[str, Weergave]:
        return {
            s: Weergave(
                self._documenten[s].slug,
                self._documenten[s].titel,
                self._documenten[s].samenvatting,
                self._documenten[s].tekst,
            )
            for s in sleutels
        }
