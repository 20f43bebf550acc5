"""Top-k retrieval reads postings best-first and stops early, yet ranks exactly as
scoring every matching article would (the threshold algorithm's promise)."""

from __future__ import annotations

import asyncio
import random
import re

import pytest

from services.kennisbank.search import zoekmachine
from services.kennisbank.search.analyse import analysator
from services.kennisbank.search.geheugen import GeheugenIndex, ZoekDocument
from services.kennisbank.search.rangschikking import Weging
from services.kennisbank.search.synoniemen import standaard_synoniemen
from services.kennisbank.search.tekst import markdown_naar_tekst
from services.kennisbank.search.zoekmachine import Filters, beste
from services.kennisbank.search.zoekvraag import maak_zoekplan
from services.kennisbank.seed import seed_artikelen
from tests.kennisbank.relevantie import vragen

ANALYSE = analysator()


def _corpus(aantal: int) -> list[ZoekDocument]:
    """Articles recombined from the seed content's sentences: many near-equal matches."""
    rng = random.Random(17)
    zinnen: list[str] = []
    titels: list[str] = []
    for artikel in seed_artikelen():
        titels.append(artikel.titel)
        tekst = markdown_naar_tekst(artikel.inhoud).replace("\n", " ")
        zinnen.extend(z for z in re.split(r"(?<=[.!?])\s+", tekst) if len(z) > 30)
    return [
        ZoekDocument(
            f"{n:04d}",
            f"artikel-{n:04d}",
            rng.choice(titels),
            " ".join(rng.sample(zinnen, 2)),
            " ".join(rng.sample(zinnen, rng.randint(4, 12))),
            ("aangifte",) if n % 3 else ("beveiliging",),
            ("ambtenaren",),
            "handreiking" if n % 2 else "protocol",
        )
        for n in range(aantal)
    ]


INDEX = GeheugenIndex(_corpus(400), ANALYSE)
VRAGEN = [*[vraag for vraag, _ in vragen()][:20], "bedreiging", "agressie melden politie"]


async def _alles(weging: Weging, stammen: tuple[str, ...], filters: Filters) -> list[str]:
    overzicht = await INDEX.overzicht(stammen, filters)
    lijsten = await INDEX.postings(stammen, filters, 0, 10**9)
    sleutels = sorted({s for lijst in lijsten.values() for s, _ in lijst})
    assert len(sleutels) == overzicht.aantal
    impacten = await INDEX.impacten(sleutels, stammen)
    scores = [(weging.score(i)[0], s) for s, i in impacten.items()]
    assert len({score for score, _ in scores}) == len(scores)  # no ties left to break
    return [s for _, s in sorted(scores, key=lambda r: (-r[0], r[1]))]


@pytest.mark.parametrize("filters", [Filters(), Filters(thema="beveiliging", type="protocol")])
@pytest.mark.parametrize("k", [1, 10, 35])
def test_top_k_equals_scoring_every_match(
    k: int, filters: Filters, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zoekmachine, "EERSTE_DIEPTE", 4)  # several rounds, not one
    monkeypatch.setattr(zoekmachine, "MAXIMALE_DIEPTE", 10**6)  # exact: no depth bound
    for vraag in VRAGEN:
        woordenboek = asyncio.run(INDEX.woordenboek())
        plan = maak_zoekplan(
            vraag, analyse=ANALYSE, synoniemen=standaard_synoniemen(), woordenboek=woordenboek
        )
        overzicht = asyncio.run(INDEX.overzicht(plan.stammen, filters))
        weging = Weging(plan, overzicht.statistiek)
        verwacht = asyncio.run(_alles(weging, plan.stammen, filters))[:k]
        gevonden = asyncio.run(beste(INDEX, weging, plan.stammen, filters, k))
        assert [s.sleutel for s in gevonden] == verwacht, vraag


def test_common_words_stop_before_reading_every_posting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of it: a word in most articles does not make the search read them all."""
    gelezen: list[int] = []
    echt = INDEX.postings

    async def tellend(
        stammen: list[str], filters: Filters, van: int, tot: int
    ) -> dict[str, list[tuple[str, float]]]:
        lijsten = await echt(stammen, filters, van, tot)
        gelezen.append(sum(len(lijst) for lijst in lijsten.values()))
        return lijsten

    monkeypatch.setattr(INDEX, "postings", tellend)
    plan = maak_zoekplan("bedreiging", analyse=ANALYSE)
    overzicht = asyncio.run(INDEX.overzicht(plan.stammen, Filters()))
    assert overzicht.aantal > 200
    asyncio.run(beste(INDEX, Weging(plan, overzicht.statistiek), plan.stammen, Filters(), 10))
    assert sum(gelezen) < overzicht.aantal / 2


def test_reading_stops_at_the_depth_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hundreds of near-equal matches cannot make one search read without end."""
    monkeypatch.setattr(zoekmachine, "EERSTE_DIEPTE", 2)
    monkeypatch.setattr(zoekmachine, "MAXIMALE_DIEPTE", 8)
    gelezen: list[int] = []
    echt = INDEX.postings

    async def tellend(
        stammen: list[str], filters: Filters, van: int, tot: int
    ) -> dict[str, list[tuple[str, float]]]:
        lijsten = await echt(stammen, filters, van, tot)
        gelezen.extend(len(lijst) for lijst in lijsten.values())
        assert tot <= 10  # k = 10 is the floor of the bound, never beyond it
        return lijsten

    monkeypatch.setattr(INDEX, "postings", tellend)
    plan = maak_zoekplan("wat moet ik doen bij agressie en bedreiging", analyse=ANALYSE)
    overzicht = asyncio.run(INDEX.overzicht(plan.stammen, Filters()))
    weging = Weging(plan, overzicht.statistiek)
    gevonden = asyncio.run(beste(INDEX, weging, plan.stammen, Filters(), 10))
    assert len(gevonden) == 10
    assert sum(gelezen) <= 10 * len(plan.stammen)
    scores = [s.score for s in gevonden]
    assert scores == sorted(scores, reverse=True)
