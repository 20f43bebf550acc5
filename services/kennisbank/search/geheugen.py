"""An in-memory :class:`Zoekbron`: the reference the database backends must agree with.

Used by the unit tests, the relevance measurement and the benchmark's baseline;
it holds published articles only, like the index tables do.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from services.kennisbank.search.analyse import Analysator
from services.kennisbank.search.indexering import Indexvelden, indexeer
from services.kennisbank.search.rangschikking import (
    VELDEN,
    Corpusstatistiek,
    Kandidaat,
)
from services.kennisbank.search.woordenboek import Woordenboek
from services.kennisbank.search.zoekmachine import Facetten, Filters, Weergave


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
        self._velden: dict[str, Indexvelden] = {}
        self._postings: dict[str, set[str]] = defaultdict(set)
        woorden: Counter[str] = Counter()
        for document in documenten:
            velden = indexeer(
                analyse,
                titel=document.titel,
                samenvatting=document.samenvatting,
                tekst=document.tekst,
            )
            self._documenten[document.sleutel] = document
            self._velden[document.sleutel] = velden
            for stam in velden.stammen:
                self._postings[stam].add(document.sleutel)
            woorden.update(velden.woorden)
        self._woordenboek = Woordenboek(woorden, analyse)

    async def woordenboek(self) -> Woordenboek:
        return self._woordenboek

    def _treffers(self, stammen: Sequence[str]) -> set[str]:
        gevonden: set[str] = set()
        for stam in stammen:
            gevonden |= self._postings.get(stam, set())
        return gevonden

    def _past(self, sleutel: str, filters: Filters) -> bool:
        document = self._documenten[sleutel]
        return (
            (filters.thema is None or filters.thema in document.themas)
            and (filters.doelgroep is None or filters.doelgroep in document.doelgroepen)
            and (filters.type is None or filters.type == document.type)
        )

    async def tel(self, stammen: Sequence[str], filters: Filters) -> tuple[int, Facetten]:
        treffers = self._treffers(stammen)
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
        return aantal, Facetten(dict(sorted(themas.items())), dict(sorted(doelgroepen.items())))

    async def kandidaten(
        self, gewichten: Mapping[str, float], filters: Filters, limiet: int, aantal: int
    ) -> list[Kandidaat]:
        gezocht = set(gewichten)
        sleutels = sorted(s for s in self._treffers(list(gezocht)) if self._past(s, filters))
        return [
            Kandidaat.uit_stammen(s, self._velden[s].als_dict(), gezocht, self._documenten[s].slug)
            for s in sleutels
        ][:limiet]

    async def statistiek(self, stammen: Sequence[str]) -> Corpusstatistiek:
        totalen = {
            veld: sum(len(v.als_dict()[veld]) for v in self._velden.values()) for veld in VELDEN
        }
        df = {stam: len(self._postings.get(stam, ())) for stam in stammen}
        return Corpusstatistiek(len(self._documenten), totalen, df)

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
