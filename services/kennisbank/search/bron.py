"""The database :class:`Zoekbron`: PostgreSQL and SQLite share tables and SQL.

The typo dictionary is cached per process and reloaded when the index's version
(bumped in the same transaction as every index change) moves.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.kennisbank.search import repository
from services.kennisbank.search.analyse import Analysator
from services.kennisbank.search.rangschikking import Corpusstatistiek, Kandidaat
from services.kennisbank.search.woordenboek import Woordenboek
from services.kennisbank.search.zoekmachine import Facetten, Filters, Weergave


class WoordenboekCache:
    def __init__(self, analyse: Analysator) -> None:
        self._analyse = analyse
        self._versie: int | None = None
        self._woordenboek = Woordenboek({}, analyse)
        self._slot = asyncio.Lock()

    async def geef(self, session: AsyncSession) -> Woordenboek:
        versie = await repository.versie(session)
        if versie == self._versie:
            return self._woordenboek
        async with self._slot:
            if versie != self._versie:
                woorden = await repository.woorden(session)
                self._woordenboek = Woordenboek(woorden, self._analyse)
                self._versie = versie
        return self._woordenboek


class DatabaseZoekbron:
    def __init__(self, session: AsyncSession, cache: WoordenboekCache) -> None:
        self._session = session
        self._cache = cache

    async def woordenboek(self) -> Woordenboek:
        return await self._cache.geef(self._session)

    async def tel(self, stammen: Sequence[str], filters: Filters) -> tuple[int, Facetten]:
        return await repository.tel(self._session, stammen, filters)

    async def kandidaten(
        self, gewichten: Mapping[str, float], filters: Filters, limiet: int, aantal: int
    ) -> list[Kandidaat]:
        stammen = list(gewichten)
        alleen: list[uuid.UUID] | None = None
        if aantal > limiet:
            alleen = await repository.beste_treffers(self._session, gewichten, filters, limiet)
        return await repository.kandidaten(self._session, stammen, filters, alleen)

    async def statistiek(self, stammen: Sequence[str]) -> Corpusstatistiek:
        return await repository.statistiek(self._session, stammen)

    async def weergaven(self, sleutels: Sequence[str]) -> dict[str, Weergave]:
        return await repository.weergaven(self._session, sleutels)
