"""Search rules the rest of the service calls: keep the index in step, run a search."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.kennisbank.search import repository
from services.kennisbank.search.analyse import Analysator, analysator
from services.kennisbank.search.bron import DatabaseZoekbron, Indexcache
from services.kennisbank.search.indexering import indexeer
from services.kennisbank.search.synoniemen import Synoniemen, standaard_synoniemen
from services.kennisbank.search.tekst import markdown_naar_tekst
from services.kennisbank.search.zoekmachine import Filters, Zoekresultaat, zoek


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
        return await zoek(
            DatabaseZoekbron(session, self.cache),
            vraag,
            filters,
            pagina=pagina,
            grootte=grootte,
            analyse=self.analyse,
            synoniemen=self.synoniemen,
        )
