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
from services.kennisbank.search.zoekmachine import EERSTE_DIEPTE, Filters, Overzicht, Weergave

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

    def geladen(self) -> _Stand | None:
        """The cached state, if any, without asking the database whether it is current."""
        return self._stand if self._geladen else None

    def vergeet(self, versie: int) -> None:
        """The index is at ``versie``: drop the cached state when it is older."""
        if self._stand.versie != versie:
            self._geladen = False

    def bewaar(self, stand: _Stand, stambits: dict[str, int], stammen: Sequence[str]) -> None:
        stand.stammen.update(stambits)
        for stam in stammen:
            stand.stammen.move_to_end(stam)
        while len(stand.stammen) > MAXIMUM_STAMMEN:
            stand.stammen.popitem(last=False)


class Verouderd(Exception):
    """The index moved since this process cached its state: search again."""


class DatabaseZoekbron:
    """One search's view of the index. The cached state is used optimistically: the
    first statement reads the index version together with the first postings, and a
    version other than the cached one raises :class:`Verouderd` (the caller searches
    again with reloaded state), so no answer mixes an older dictionary or taxonomy with
    newer postings. Not ``streng``: answer anyway (the last attempt of a search while
    articles keep being published)."""

    def __init__(self, session: AsyncSession, cache: Indexcache, *, streng: bool = True) -> None:
        self._session = session
        self._streng = streng
        self._cache = cache
        self._stand: _Stand | None = None
        self._gecontroleerd = False
        self._voorraad: tuple[tuple[object, ...], repository.Lezing] | None = None

    async def _huidig(self) -> _Stand:
        if self._stand is None:
            self._stand = self._cache.geladen()
            if self._stand is None:  # first search of this process or after a change
                self._stand = await self._cache.stand(self._session)
                self._gecontroleerd = True
        return self._stand

    async def woordenboek(self) -> Woordenboek:
        return (await self._huidig()).woordenboek

    async def overzicht(self, stammen: Sequence[str], filters: Filters) -> Overzicht:
        stand = await self._huidig()
        ontbrekend = [s for s in stammen if s not in stand.stammen]
        opening = await repository.opening(
            self._session, ontbrekend, stammen, filters, EERSTE_DIEPTE
        )
        if opening.versie != stand.versie:
            self._cache.vergeet(opening.versie)
            if self._streng:
                raise Verouderd
        self._cache.bewaar(stand, opening.stambits, stammen)
        per_stam = {stam: stand.stammen[stam] for stam in stammen}
        self._voorraad = (
            (tuple(stammen), tuple(stammen), filters, 0, EERSTE_DIEPTE),
            opening.lezing,
        )
        return bitsets.overzicht(stand.taxonomie, per_stam, stammen, filters)

    async def lees(
        self, open_: Sequence[str], stammen: Sequence[str], filters: Filters, van: int, tot: int
    ) -> tuple[dict[str, list[tuple[str, float]]], dict[str, dict[str, float]]]:
        if self._voorraad is not None:
            sleutel, lezing = self._voorraad
            self._voorraad = None
            if sleutel == (tuple(open_), tuple(stammen), filters, van, tot):
                return lezing  # read with the version, by overzicht
        return await repository.lees(self._session, open_, stammen, filters, van, tot)

    async def postings(
        self, stammen: Sequence[str], filters: Filters, van: int, tot: int
    ) -> dict[str, list[tuple[str, float]]]:
        return await repository.postings(self._session, stammen, filters, van, tot)

    async def impacten(
        self, sleutels: Sequence[str], stammen: Sequence[str]
    ) -> dict[str, dict[str, float]]:
        postings = None
        if self._stand is not None and all(s in self._stand.stammen for s in stammen):
            postings = sum(self._stand.stammen[s].bit_count() for s in stammen)
        return await repository.impacten(self._session, sleutels, stammen, postings)

    async def weergaven(self, sleutels: Sequence[str]) -> dict[str, Weergave]:
        return await repository.weergaven(self._session, sleutels)
