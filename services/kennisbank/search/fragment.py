"""Search fragments: escaped text around the best cluster of hits, hits in <mark>."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from services.kennisbank.search.analyse import Analysator, Token

FRAGMENT_LENGTE = 220
AANLOOP = 40
"""Characters of context shown before the first hit."""

_WIT = re.compile(r"\s+")


def _venster(treffers: list[Token]) -> tuple[int, int]:
    """Index range in ``treffers`` of the window with the most distinct stems."""
    beste = (0, 0, 0)
    eind = 0
    for start, eerste in enumerate(treffers):
        eind = max(eind, start)
        while (
            eind + 1 < len(treffers)
            and treffers[eind + 1].eind - eerste.begin <= FRAGMENT_LENGTE - AANLOOP
        ):
            eind += 1
        verschillend = len({t.stam for t in treffers[start : eind + 1]})
        if verschillend > beste[0]:
            beste = (verschillend, start, eind)
    return beste[1], beste[2]


def _schoon(tekst: str) -> str:
    return html.escape(_WIT.sub(" ", tekst), quote=True)


def _knip(tekst: str, begin: int, eind: int) -> tuple[int, int]:
    """Widen/narrow to word boundaries so no word is cut in half."""
    if begin > 0:
        spatie = tekst.find(" ", begin)
        begin = spatie + 1 if 0 <= spatie < begin + AANLOOP // 2 else begin
    if eind < len(tekst):
        spatie = tekst.rfind(" ", begin, eind)
        eind = spatie if spatie > begin else eind
    return begin, eind


def maak_fragment(teksten: Iterable[str], stammen: Iterable[str], analyse: Analysator) -> str:
    """The fragment of the first text with the most distinct hits (ties: the earlier text)."""
    gezocht = set(stammen)
    kandidaten = [t for t in teksten if t.strip()]
    if not kandidaten:
        return ""
    beste_tekst, beste_aantal = kandidaten[0], 0
    beste_treffers: list[Token] = []
    for tekst in kandidaten:
        treffers = analyse.treffers(tekst, gezocht)
        aantal = len({t.stam for t in treffers})
        if aantal > beste_aantal:
            beste_tekst, beste_treffers, beste_aantal = tekst, treffers, aantal
    if not beste_treffers:
        begin, eind = _knip(beste_tekst, 0, min(len(beste_tekst), FRAGMENT_LENGTE))
        return _schoon(beste_tekst[begin:eind]) + ("…" if eind < len(beste_tekst) else "")

    van, tot = _venster(beste_treffers)
    begin = max(0, beste_treffers[van].begin - AANLOOP)
    eind = min(len(beste_tekst), begin + FRAGMENT_LENGTE)
    begin, eind = _knip(beste_tekst, begin, eind)
    eind = max(eind, beste_treffers[tot].eind)

    delen: list[str] = ["…"] if begin > 0 else []
    positie = begin
    for treffer in beste_treffers:
        if treffer.begin < begin or treffer.eind > eind:
            continue
        delen.append(_schoon(beste_tekst[positie : treffer.begin]))
        delen.append(f"<mark>{html.escape(beste_tekst[treffer.begin : treffer.eind])}</mark>")
        positie = treffer.eind
    delen.append(_schoon(beste_tekst[positie:eind]))
    if eind < len(beste_tekst):
        delen.append("…")
    return "".join(delen).strip()
