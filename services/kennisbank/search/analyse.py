"""Text analysis for Dutch search: tokenising, accent folding, stop words, stemming.

The same analysis runs when an article is indexed and when a question is asked,
on both database backends, so the stems in the index and in the query always
agree. Stemming uses Snowball's newer ``dutch`` algorithm (PyStemmer 3), not
``dutch_porter`` (what PostgreSQL 15 calls ``dutch``): measured on the relevance
set in ``tests/kennisbank`` it folds participles and nouns onto one stem
(``geïntimideerd`` and ``intimidatie`` → ``intimideer``), which lifts recall@3;
see ``search/README.md`` for the figures.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import Stemmer

STANDAARD_ALGORITME = "dutch"

_VERVOEGD = ("gd", "gt", "dt")
MAXIMALE_WOORDLENGTE = 60
"""Longer runs of letters are codes or pasted junk, not words anyone searches for."""
_WOORD = re.compile(r"[^\W_]+", re.UNICODE)


def vouw(tekst: str) -> str:
    """Lower-case and strip diacritics: ``Geïntimideerd`` → ``geintimideerd``."""
    if tekst.isascii():
        return tekst.lower()  # most Dutch words: no normalisation needed
    ontleed = unicodedata.normalize("NFKD", tekst.casefold())
    return "".join(teken for teken in ontleed if not unicodedata.combining(teken))


@lru_cache(maxsize=1)
def stopwoorden() -> frozenset[str]:
    """Dutch stop words (folded), including the question words people type."""
    bron = resources.files("services.kennisbank.search").joinpath("data/stopwoorden.txt")
    woorden = set()
    for regel in bron.read_text(encoding="utf-8").splitlines():
        regel = regel.split("#", 1)[0].strip()
        if regel:
            woorden.add(vouw(regel))
    return frozenset(woorden)


@dataclass(frozen=True, slots=True)
class Token:
    """One indexed word: its stem, its folded surface form and where it stands."""

    stam: str
    woord: str
    begin: int
    eind: int


class Analysator:
    """Turns text into stems; one instance per stemming algorithm, cheap to share."""

    def __init__(
        self, algoritme: str = STANDAARD_ALGORITME, *, werkwoordsregel: bool = True
    ) -> None:
        self.algoritme = algoritme
        self.werkwoordsregel = werkwoordsregel
        self._stemmer = Stemmer.Stemmer(algoritme)
        self._stemmer.maxCacheSize = 50_000
        self._stop = stopwoorden()
        self._stammen: dict[str, str] = {}

    def stam(self, woord: str) -> str:
        """The stem of one folded word.

        Snowball leaves present-tense and participle forms of ``-igen`` verbs
        alone (``bedreigd``, ``bedreigt``, ``beveiligd``, ``meldt``), while the
        infinitive and the noun share a stem (``bedreig``). People type exactly
        those forms ("ik word bedreigd"), so a word ending in ``gd``/``gt``/``dt``
        that the stemmer left as it was gets its infinitive's stem when that is
        a prefix of it.
        """
        resultaat: str = self._stemmer.stemWord(woord)
        if self.werkwoordsregel and resultaat == woord and woord.endswith(_VERVOEGD):
            basis = woord[:-1]
            infinitief: str = self._stemmer.stemWord(basis + "en")
            if basis.startswith(infinitief):
                return infinitief
        return resultaat

    def is_stopwoord(self, woord: str) -> bool:
        return woord in self._stop

    def tokens(self, tekst: str) -> list[Token]:
        """Every non-stop word of ``tekst`` with its offsets in the original string."""
        resultaat: list[Token] = []
        for treffer in _WOORD.finditer(tekst):
            woord = vouw(treffer.group())
            if (len(woord) < 2 and not woord.isdigit()) or len(woord) > MAXIMALE_WOORDLENGTE:
                continue
            if woord in self._stop:
                continue
            resultaat.append(Token(self.stam(woord), woord, treffer.start(), treffer.end()))
        return resultaat

    def treffers(self, tekst: str, gezocht: set[str] | frozenset[str]) -> list[Token]:
        """The tokens of ``tekst`` whose stem is one of ``gezocht``: what :meth:`tokens`
        would give, filtered, without building a token for every word (fragments scan
        whole bodies per search, so this is the hot path there)."""
        cache = self._stammen
        if len(cache) > 200_000:
            cache.clear()  # bounded: a long-running process sees many words
        resultaat: list[Token] = []
        for treffer in _WOORD.finditer(tekst):
            ruw = treffer.group()
            stam = cache.get(ruw)
            if stam is None:
                woord = vouw(ruw)
                overslaan = (len(woord) < 2 and not woord.isdigit()) or woord in self._stop
                stam = "" if overslaan or len(woord) > MAXIMALE_WOORDLENGTE else self.stam(woord)
                cache[ruw] = stam
            if stam and stam in gezocht:
                resultaat.append(Token(stam, vouw(ruw), treffer.start(), treffer.end()))
        return resultaat

    def stammen(self, tekst: str) -> list[str]:
        """The stems of ``tekst`` in order, stop words left out."""
        return [token.stam for token in self.tokens(tekst)]


@lru_cache(maxsize=8)
def analysator(algoritme: str = STANDAARD_ALGORITME, *, werkwoordsregel: bool = True) -> Analysator:
    """A shared analyser per algorithm."""
    return Analysator(algoritme, werkwoordsregel=werkwoordsregel)
