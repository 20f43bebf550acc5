"""From what someone typed to a weighted set of stems: stop words, typos, synonyms."""

from __future__ import annotations

from dataclasses import dataclass

from services.kennisbank.search.analyse import Analysator
from services.kennisbank.search.synoniemen import SYNONIEM_GEWICHT, Synoniemen
from services.kennisbank.search.woordenboek import Woordenboek

MAXIMUM_TERMEN = 32
MAXIMUM_CORRECTIES = 5
"""Unknown words per query looked up in the typo dictionary; later ones are taken as typed.

A lookup walks the posting lists of the word's trigrams, which grow with the vocabulary
(~20 ms a word at 100,000 words): 32 unknown words were ~0.7 s of CPU per request, for anyone
without a token."""
CORRECTIE_GEWICHT = 0.9
"""A corrected word counts a little less than a word that was found as typed."""


@dataclass(frozen=True, slots=True)
class Zoekterm:
    stam: str
    gewicht: float
    groep: int
    """The query word this term stands for; synonyms share their word's group."""
    synoniem: bool = False


@dataclass(frozen=True, slots=True)
class Zoekplan:
    vraag: str
    termen: tuple[Zoekterm, ...]
    aantal_groepen: int
    suggestie: str | None

    @property
    def stammen(self) -> tuple[str, ...]:
        """Every distinct stem to look up, in query order."""
        return tuple(dict.fromkeys(term.stam for term in self.termen))

    @property
    def leeg(self) -> bool:
        return not self.termen


def maak_zoekplan(
    vraag: str,
    *,
    analyse: Analysator,
    synoniemen: Synoniemen | None = None,
    woordenboek: Woordenboek | None = None,
) -> Zoekplan:
    """Analyse ``vraag``; unknown words are corrected against ``woordenboek`` when close."""
    tokens = analyse.tokens(vraag)[:MAXIMUM_TERMEN]
    stammen: list[str] = []
    gewichten: list[float] = []
    vervangingen: list[tuple[int, int, str]] = []
    opgezocht = 0
    for token in tokens:
        stam, gewicht = token.stam, 1.0
        if (
            woordenboek is not None
            and opgezocht < MAXIMUM_CORRECTIES
            and not woordenboek.kent_stam(stam)
            and woordenboek.zoekt_na(token.woord)
        ):
            opgezocht += 1
            correctie = woordenboek.corrigeer(token.woord)
            if correctie is not None:
                stam, gewicht = analyse.stam(correctie.voorstel), CORRECTIE_GEWICHT
                vervangingen.append((token.begin, token.eind, correctie.voorstel))
        if stam in stammen:
            continue
        stammen.append(stam)
        gewichten.append(gewicht)

    termen = [
        Zoekterm(stam, gewicht, groep)
        for groep, (stam, gewicht) in enumerate(zip(stammen, gewichten, strict=True))
    ]
    if synoniemen is not None:
        gezien = set(stammen)
        for uitbreiding in synoniemen.breid_uit(stammen):
            for stam in uitbreiding.stammen:
                if stam not in gezien:
                    gezien.add(stam)
                    termen.append(
                        Zoekterm(stam, SYNONIEM_GEWICHT, uitbreiding.positie, synoniem=True)
                    )
    return Zoekplan(vraag, tuple(termen), len(stammen), _suggestie(vraag, vervangingen))


def _suggestie(vraag: str, vervangingen: list[tuple[int, int, str]]) -> str | None:
    if not vervangingen:
        return None
    delen: list[str] = []
    vorige = 0
    for begin, eind, voorstel in vervangingen:
        delen.append(vraag[vorige:begin])
        delen.append(voorstel)
        vorige = eind
    delen.append(vraag[vorige:])
    return " ".join("".join(delen).split())
