"""Matching sets as bitsets (Python ints), for count and facets in microseconds.

``count`` and the facets must cover every match, so in SQL they cost what the corpus
costs: every posting of the query's stems, joined to the taxonomy. As bitsets over the
articles' dense numbers (``zoekdocument.nummer``) the same answer is a handful of
AND/OR/popcount operations on a few kilobytes, whatever the number of matches.

Each stem's bitset is also stored (``zoekbits``, in blocks of ``BLOKBITS`` articles),
kept in step by every publish and unpublish, so a stem no process has cached yet costs
a read of a few kilobytes, not of all its postings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from services.kennisbank.search.rangschikking import Corpusstatistiek
from services.kennisbank.search.zoekmachine import Facetten, Filters, Overzicht


def bitset(nummers: Iterable[int]) -> int:
    """The int with bit ``n`` set for every ``n`` (linear, unlike ``|= 1 << n``)."""
    lijst = list(nummers)
    if not lijst:
        return 0
    ruimte = bytearray(max(lijst) // 8 + 1)
    for n in lijst:
        ruimte[n >> 3] |= 1 << (n & 7)
    return int.from_bytes(ruimte, "little")


def zet_bit(blok: bytes | None, positie: int, aan: bool) -> bytes:
    """``blok`` (little-endian bits) with bit ``positie`` set or cleared; trailing zero
    bytes dropped, so an empty block is ``b""``."""
    ruimte = bytearray(blok or b"")
    if len(ruimte) <= positie >> 3:
        ruimte.extend(bytes((positie >> 3) + 1 - len(ruimte)))
    if aan:
        ruimte[positie >> 3] |= 1 << (positie & 7)
    else:
        ruimte[positie >> 3] &= ~(1 << (positie & 7)) & 0xFF
    return bytes(ruimte).rstrip(b"\0")


def blokken(bits: int, blokbits: int) -> dict[int, bytes]:
    """A bitset cut into its non-empty blocks of ``blokbits`` bits (a multiple of 8)."""
    ruw = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    stap = blokbits // 8
    resultaat = {}
    for begin in range(0, len(ruw), stap):
        deel = ruw[begin : begin + stap].rstrip(b"\0")
        if deel:
            resultaat[begin // stap] = deel
    return resultaat


def uit_blokken(delen: Iterable[tuple[int, bytes]], blokbits: int) -> int:
    """The bitset the blocks ``(blok, bits)`` make up (the inverse of :func:`blokken`)."""
    bits = 0
    for blok, ruw in delen:
        bits |= int.from_bytes(ruw, "little") << (blok * blokbits)
    return bits


@dataclass(frozen=True, slots=True)
class Taxonomie:
    """Per facet value the bitset of the indexed articles that carry it."""

    themas: Mapping[str, int]
    doelgroepen: Mapping[str, int]
    types: Mapping[str, int]
    aantal: int
    """Articles in the index."""


def _masker(waarden: Mapping[str, int], gekozen: str | None) -> int:
    if gekozen is None:
        return -1  # all bits: no filter
    return waarden.get(gekozen, 0)


def overzicht(
    taxonomie: Taxonomie, per_stam: Mapping[str, int], stammen: Sequence[str], filters: Filters
) -> Overzicht:
    """Count, facets (each with the other filters applied) and document frequencies."""
    treffers = 0
    df: dict[str, int] = {}
    for stam in stammen:
        bits = per_stam.get(stam, 0)
        if bits:
            treffers |= bits
            df[stam] = bits.bit_count()
    thema = _masker(taxonomie.themas, filters.thema)
    doelgroep = _masker(taxonomie.doelgroepen, filters.doelgroep)
    soort = _masker(taxonomie.types, filters.type)
    aantal = (treffers & thema & doelgroep & soort).bit_count()
    zonder_thema = treffers & doelgroep & soort
    zonder_doelgroep = treffers & thema & soort
    themas = {w: (zonder_thema & b).bit_count() for w, b in sorted(taxonomie.themas.items())}
    doelgroepen = {
        w: (zonder_doelgroep & b).bit_count() for w, b in sorted(taxonomie.doelgroepen.items())
    }
    return Overzicht(
        aantal,
        Facetten(
            {w: n for w, n in themas.items() if n}, {w: n for w, n in doelgroepen.items() if n}
        ),
        Corpusstatistiek(taxonomie.aantal, df),
    )
