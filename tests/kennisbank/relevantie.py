"""The relevance set and how recall@3 is measured; shared by the tests and the benchmark."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path

from services.kennisbank.search.analyse import Analysator
from services.kennisbank.search.geheugen import GeheugenIndex, ZoekDocument
from services.kennisbank.search.synoniemen import Synoniemen
from services.kennisbank.search.tekst import markdown_naar_tekst
from services.kennisbank.search.zoekmachine import Filters, Zoekbron, zoek
from services.kennisbank.seed import seed_artikelen

BESTAND = Path(__file__).with_name("relevantie.json")


@dataclass(frozen=True, slots=True)
class Meting:
    recall_bij_3: float
    mrr: float
    missers: list[tuple[str, str, list[str]]]


def vragen() -> list[tuple[str, str]]:
    data = json.loads(BESTAND.read_text(encoding="utf-8"))
    return [(v["vraag"], v["slug"]) for v in data["vragen"]]


def seed_index(analyse: Analysator) -> GeheugenIndex:
    return GeheugenIndex(
        [
            ZoekDocument(
                a.slug,
                a.slug,
                a.titel,
                a.samenvatting,
                markdown_naar_tekst(a.inhoud),
                a.themas,
                a.doelgroepen,
                a.type,
            )
            for a in seed_artikelen()
        ],
        analyse,
    )


async def meet_async(bron: Zoekbron, analyse: Analysator, synoniemen: Synoniemen | None) -> Meting:
    raak, reciprook = 0, 0.0
    missers: list[tuple[str, str, list[str]]] = []
    lijst = vragen()
    for vraag, verwacht in lijst:
        resultaat = await zoek(
            bron, vraag, Filters(), pagina=1, grootte=10, analyse=analyse, synoniemen=synoniemen
        )
        gevonden = [t.slug for t in resultaat.treffers]
        if verwacht in gevonden[:3]:
            raak += 1
        else:
            missers.append((vraag, verwacht, gevonden[:3]))
        if verwacht in gevonden:
            reciprook += 1 / (gevonden.index(verwacht) + 1)
    return Meting(raak / len(lijst), reciprook / len(lijst), missers)


def meet(analyse: Analysator, synoniemen: Synoniemen | None) -> Meting:
    return asyncio.run(meet_async(seed_index(analyse), analyse, synoniemen))
