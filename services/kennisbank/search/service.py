"""Search rules the rest of the service calls: keep the index in step, run a search."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.kennisbank.search import repository
from services.kennisbank.search.analyse import Analysator, analysator
from services.kennisbank.search.bron import DatabaseZoekbron, Indexcache, Verouderd
from services.kennisbank.search.indexering import indexeer
from services.kennisbank.search.schemas import Facetten, Zoekresultaten, ZoekTreffer
from services.kennisbank.search.synoniemen import Synoniemen, standaard_synoniemen
from services.kennisbank.search.tekst import markdown_naar_tekst
from services.kennisbank.search.zoekmachine import Filters, Zoekresultaat, zoek

POGINGEN = 4
"""Attempts per search while the index moves under the cached state (each reloads
it); the last one answers even if another publish came in between, from the newer
postings with the state loaded just before."""


class Zoekdienst:
    """One per process: the analyser, the synonym list and the dictionary cache."""

    def __init__(
        self, analyse: Analysator | None = None, synoniemen: Synoniemen | None = None
    ) -> None:
        self.analyse = analyse or analysator()
        self.synoniemen = synoniemen if synoniemen is not None else standaard_synoniemen()
        self.cache = Indexcache(self.analyse)

    async def werk_bij(
        self,
        session: AsyncSession,
        *,
        artikel_id: uuid.UUID,
        gepubliceerd: bool,
        titel: str,
        samenvatting: str,
        inhoud: str,
    ) -> None:
        """Bring one article's index entry in line with its state (drafts: no entry)."""
        await repository.verwijder(session, artikel_id)
        if gepubliceerd:
            tekst = markdown_naar_tekst(inhoud)
            velden = indexeer(self.analyse, titel=titel, samenvatting=samenvatting, tekst=tekst)
            await repository.voeg_toe(session, artikel_id, velden, tekst)

    async def zoek(
        self, session: AsyncSession, vraag: str, filters: Filters, *, pagina: int, grootte: int
    ) -> Zoekresultaat:
        for _ in range(POGINGEN - 1):
            try:
                return await self._zoek(session, vraag, filters, pagina, grootte, streng=True)
            except Verouderd:
                continue  # the index moved under the cached state: reloaded, again
        return await self._zoek(session, vraag, filters, pagina, grootte, streng=False)

    async def _zoek(
        self,
        session: AsyncSession,
        vraag: str,
        filters: Filters,
        pagina: int,
        grootte: int,
        *,
        streng: bool,
    ) -> Zoekresultaat:
        return await zoek(
            DatabaseZoekbron(session, self.cache, streng=streng),
            vraag,
            filters,
            pagina=pagina,
            grootte=grootte,
            analyse=self.analyse,
            synoniemen=self.synoniemen,
        )


def zoektreffers(resultaat: Zoekresultaat) -> list[ZoekTreffer]:
    """The page's hits as the wire shows them."""
    return [
        ZoekTreffer(
            slug=t.slug,
            titel=t.titel,
            samenvatting=t.samenvatting,
            fragment=t.fragment,
            score=t.score,
        )
        for t in resultaat.treffers
    ]


def zoekresultaten(
    resultaat: Zoekresultaat,
    treffers: list[ZoekTreffer],
    *,
    volgende: str | None,
    vorige: str | None,
) -> Zoekresultaten:
    """The response of `GET /zoeken`; the page links are the router's (they need the
    request)."""
    return Zoekresultaten(
        count=resultaat.aantal,
        next=volgende,
        previous=vorige,
        results=treffers,
        facetten=Facetten(
            themas=resultaat.facetten.themas, doelgroepen=resultaat.facetten.doelgroepen
        ),
        suggestie=resultaat.suggestie,
    )
