"""The database :class:`Zoekbron`: PostgreSQL and SQLite share tables and SQL.

The typo dictionary is cached per process and reloaded when the index's version
(bumped in the same transaction as every index change) moves.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.kennisbank.search import repository
from services.kennisbank.search.analyse import Analysator
from services.kennisbank.search.woordenboek import Woordenboek
from services.kennisbank.search.zoekmachine import Filters, Overzicht, Weergave


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

    async def overzicht(self, stammen: Sequence[str], filters: Filters) -> Overzicht:
        return await repository.overzicht(self._session, stammen, filters)

    async def postings(
        self, stammen: Sequence[str], filters: Filters, van: int, tot: int
    ) -> dict[str, list[tuple[str, float]]]:
        return await repository.postings(self._session, stammen, filters, van, tot)

    async def impacten(
        self, sleutels: Sequence[str], stammen: Sequence[str]
    ) -> dict[str, dict[str, float]]:
        return await repository.impacten(self._session, sleutels, stammen)

    async def volgorde(self, sleutels: Sequence[str]) -> dict[str, str]:
        return await repository.slugs(self._session, sleutels)

    async def weergaven(self, sleutels: Sequence[str]) -> dict[str, Weergave]:
        return await repository.weergaven(self._session, sleutels)
