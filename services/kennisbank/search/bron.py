"""The database :class:`Zoekbron`: PostgreSQL and SQLite share tables and SQL.

The typo dictionary and the bitsets behind count and facets are cached per process
(:class:`Indexcache`) and reloaded when the index's version moves.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from services.kennisbank.search import bitsets, repository
from services.kennisbank.search.analyse import Analysator
from services.kennisbank.search.bitsets import Taxonomie
from services.kennisbank.search.woordenboek import Woordenboek
from services.kennisbank.search.zoekmachine import Filters, Overzicht, Weergave

MAXIMUM_STAMMEN = 2048
"""Stem bitsets kept per process (least recently used go first): at 100,000 articles a
common stem's bitset is 12.5 kB, so at most ~25 MB."""


@dataclass(slots=True)
class _Stand:
    versie: int
    woordenboek: Woordenboek
    taxonomie: Taxonomie
    stammen: OrderedDict[str, int] = field(default_factory=OrderedDict)


class Indexcache:
    """Per process: what only changes when the index does, reloaded when its version
    (bumped in the same transaction as every index change) moves: the typo dictionary,
    the facet bitsets and the bitsets of the stems asked for."""

    def __init__(self, analyse: Analysator) -> None:
        self._analyse = analyse
        self._stand = _Stand(0, Woordenboek({}, analyse), Taxonomie({}, {}, {}, 0))
        self._geladen = False
        self._slot = asyncio.Lock()

    async def stand(self, session: AsyncSession) -> _Stand:
        versie = await repository.versie(session)
        if self._geladen and versie == self._stand.versie:
            return self._stand
        async with self._slot:
            if not self._geladen or versie != self._stand.versie:
                woorden = await repository.woorden(session)
                taxonomie = await repository.taxonomie(session)
                self._stand = _Stand(versie, Woordenboek(woorden, self._analyse), taxonomie)
                self._geladen = True
        return self._stand

    async def stambits(
        self, session: AsyncSession, stand: _Stand, stammen: Sequence[str]
    ) -> dict[str, int]:
        ontbrekend = [s for s in stammen if s not in stand.stammen]
        if ontbrekend:
            stand.stammen.update(await repository.stambits(session, ontbrekend))
        resultaat = {}
        for stam in stammen:
            stand.stammen.move_to_end(stam)
            resultaat[stam] = stand.stammen[stam]
        while len(stand.stammen) > MAXIMUM_STAMMEN:
            stand.stammen.popitem(last=False)
        return resultaat


class DatabaseZoekbron:
    def __init__(self, session: AsyncSession, cache: Indexcache) -> None:
        self._session = session
        self._cache = cache
        self._stand: _Stand | None = None

    async def _huidig(self) -> _Stand:
        if self._stand is None:  # one version read per search
            self._stand = await self._cache.stand(self._session)
        return self._stand

    async def woordenboek(self) -> Woordenboek:
        return (await self._huidig()).woordenboek

    async def overzicht(self, stammen: Sequence[str], filters: Filters) -> Overzicht:
        stand = await self._huidig()
        per_stam = await self._cache.stambits(self._session, stand, stammen)
        return bitsets.overzicht(stand.taxonomie, per_stam, stammen, filters)

    async def postings(
        self, stammen: Sequence[str], filters: Filters, van: int, tot: int
    ) -> dict[str, list[tuple[str, float]]]:
        return await repository.postings(self._session, stammen, filters, van, tot)

    async def impacten(
        self, sleutels: Sequence[str], stammen: Sequence[str]
    ) -> dict[str, dict[str, float]]:
        return await repository.impacten(self._session, sleutels, stammen)

    async def lees(
        self, open_: Sequence[str], stammen: Sequence[str], filters: Filters, van: int, tot: int
    ) -> tuple[dict[str, list[tuple[str, float]]], dict[str, dict[str, float]]]:
        return await repository.lees(self._session, open_, stammen, filters, van, tot)

    async def weergaven(self, sleutels: Sequence[str]) -> dict[str, Weergave]:
        return await repository.weergaven(self._session, sleutels)
