"""Count and facets from bitsets agree with counting the matches one by one."""

from __future__ import annotations

import asyncio

import pytest

from services.kennisbank.search import bitsets
from services.kennisbank.search.bitsets import Taxonomie, bitset
from services.kennisbank.search.zoekmachine import Filters
from services.kennisbank.search.zoekvraag import maak_zoekplan
from tests.kennisbank.test_zoeken_topk import ANALYSE, INDEX, VRAGEN, _corpus


def test_bitset_sets_exactly_the_given_bits() -> None:
    assert bitset([]) == 0
    assert bitset([0, 3, 64, 3]) == (1 << 0) | (1 << 3) | (1 << 64)
    assert bitset(range(1, 1000)).bit_count() == 999


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(thema="beveiliging"),
        Filters(doelgroep="ambtenaren", type="protocol"),
        Filters(thema="aangifte", type="handreiking"),
        Filters(thema="bestaat-niet"),
    ],
)
def test_bitsets_count_like_the_reference(filters: Filters) -> None:
    documenten = _corpus(400)  # numbered 1… in this order, like GeheugenIndex does
    themas: dict[str, list[int]] = {}
    doelgroepen: dict[str, list[int]] = {}
    types: dict[str, list[int]] = {}
    for nummer, d in enumerate(documenten, start=1):
        for t in d.themas:
            themas.setdefault(t, []).append(nummer)
        for g in d.doelgroepen:
            doelgroepen.setdefault(g, []).append(nummer)
        types.setdefault(d.type, []).append(nummer)
    taxonomie = Taxonomie(
        {w: bitset(n) for w, n in themas.items()},
        {w: bitset(n) for w, n in doelgroepen.items()},
        {w: bitset(n) for w, n in types.items()},
        len(documenten),
    )
    nummer_van = {d.sleutel: n for n, d in enumerate(documenten, start=1)}
    for vraag in VRAGEN:
        plan = maak_zoekplan(vraag, analyse=ANALYSE)
        lijsten = asyncio.run(INDEX.postings(plan.stammen, Filters(), 0, 10**9))
        per_stam = {
            stam: bitset(nummer_van[s] for s, _ in lijst) for stam, lijst in lijsten.items()
        }
        verwacht = asyncio.run(INDEX.overzicht(plan.stammen, filters))
        assert bitsets.overzicht(taxonomie, per_stam, plan.stammen, filters) == verwacht, vraag
