"""The cell-key method: the fixed perturbation table (ruistabel.json) and what is published."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

TABEL = Path(__file__).with_name("ruistabel.json")
SLEUTELS = 256
METHODE = "celsleutel"


@cache
def tabel() -> dict[int, tuple[int, ...]]:
    """Row per count; checked on load, so a damaged file stops the service, not the privacy."""
    rijen = {
        int(r["aantal"]): tuple(int(x) for x in r["ruis"])
        for r in json.loads(TABEL.read_text(encoding="utf-8"))["rijen"]
    }
    for aantal, ruis in rijen.items():
        if len(ruis) != SLEUTELS or sum(ruis) != 0 or not all(-2 <= x <= 2 for x in ruis):
            raise ValueError(f"ruistabel: rij {aantal} is ongeldig")
        if any(aantal + x < 1 for x in ruis):
            raise ValueError(f"ruistabel: rij {aantal} maakt een aantal 0 of negatief")
    if set(rijen) != set(range(1, 33)):
        raise ValueError("ruistabel: rijen 1..32 verwacht")
    return rijen


def rij(aantal: int) -> int:
    """Counts above 32 reuse rows 17..32 in turn (rows 1 and 2 are the narrow ones)."""
    return aantal if aantal <= 32 else 17 + (aantal - 17) % 16


def ruis(aantal: int, sleutelsom: int) -> int:
    return tabel()[rij(aantal)][sleutelsom % SLEUTELS]


def gepubliceerd(aantal: int, sleutelsom: int, drempel: int) -> int | None:
    """The published value, or None when the cell is left out (count or result below drempel)."""
    if aantal < drempel:
        return None
    waarde = aantal + ruis(aantal, sleutelsom)
    return waarde if waarde >= drempel else None
