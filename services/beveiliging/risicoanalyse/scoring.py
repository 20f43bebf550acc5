"""Deterministic scoring and rule-based recommendations; pure functions, no I/O.

See `vragenlijst.py` for the documented thresholds and rules. The same answers
and version always give the same score, level and recommendations; the
recommended codes come in catalogue order, each once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.beveiliging.maatregel.catalogus import CATALOGUS
from services.beveiliging.risicoanalyse.vragenlijst import (
    NIVEAU_VOLGORDE,
    Niveau,
    Voorwaarde,
    VraagType,
    Vragenlijst,
)

Antwoord = bool | int
Antwoorden = Mapping[str, Antwoord]


@dataclass(frozen=True)
class AntwoordProbleem:
    """One invalid answer: `name` is the dotted path (`antwoorden.<code>`)."""

    name: str
    code: str
    reason: str


@dataclass(frozen=True)
class Beoordeling:
    score: int
    max_score: int
    niveau: Niveau
    aanbevolen_maatregelen: tuple[str, ...]


def valideer_antwoorden(
    vragenlijst: Vragenlijst, antwoorden: Mapping[str, object]
) -> list[AntwoordProbleem]:
    """Every problem at once: unknown questions, missing answers, wrong types, out of range."""
    problemen: list[AntwoordProbleem] = []
    bekend = {v.code for v in vragenlijst.vragen}
    for code in antwoorden:
        if code not in bekend:
            problemen.append(
                AntwoordProbleem(f"antwoorden.{code}", "unknown_field", "Onbekende vraag.")
            )
    for vraag in vragenlijst.vragen:
        naam = f"antwoorden.{vraag.code}"
        if vraag.code not in antwoorden:
            problemen.append(AntwoordProbleem(naam, "required", "Antwoord ontbreekt."))
            continue
        waarde = antwoorden[vraag.code]
        if vraag.type is VraagType.ja_nee:
            if not isinstance(waarde, bool):
                problemen.append(AntwoordProbleem(naam, "type", "Verwacht true of false."))
        elif isinstance(waarde, bool) or not isinstance(waarde, int):
            problemen.append(AntwoordProbleem(naam, "type", "Verwacht een geheel getal 0..3."))
        elif not 0 <= waarde <= 3:
            problemen.append(
                AntwoordProbleem(naam, "range", "Verwacht een waarde van 0 tot en met 3.")
            )
    return problemen


def _waarde(antwoord: Antwoord) -> int:
    return int(antwoord)


def punten(vragenlijst: Vragenlijst, antwoorden: Antwoorden) -> int:
    """The score: the sum of weight × answer (ja = 1, nee = 0, scale 0..3)."""
    return sum(v.gewicht * _waarde(antwoorden[v.code]) for v in vragenlijst.vragen)


def _geldt(voorwaarden: tuple[Voorwaarde, ...], antwoorden: Antwoorden) -> bool:
    return all(_waarde(antwoorden[w.vraag]) >= w.minimaal for w in voorwaarden)


def _rang(niveau: Niveau) -> int:
    return NIVEAU_VOLGORDE.index(niveau)


def niveau_voor(vragenlijst: Vragenlijst, score: int, antwoorden: Antwoorden) -> Niveau:
    """Level from the thresholds, then raised by the escalations that hold."""
    if score >= vragenlijst.hoog_vanaf:
        niveau = Niveau.hoog
    elif score >= vragenlijst.verhoogd_vanaf:
        niveau = Niveau.verhoogd
    else:
        niveau = Niveau.laag
    for ophoging in vragenlijst.ophogingen:
        if _geldt(ophoging.voorwaarden, antwoorden) and _rang(ophoging.niveau) > _rang(niveau):
            niveau = ophoging.niveau
    return niveau


def aanbevelingen(
    vragenlijst: Vragenlijst, antwoorden: Antwoorden, niveau: Niveau
) -> tuple[str, ...]:
    """Codes of every rule that fires, each once, in catalogue order."""
    gekozen: set[str] = set()
    for regel in vragenlijst.regels:
        if _rang(niveau) >= _rang(regel.minimaal_niveau) and _geldt(regel.voorwaarden, antwoorden):
            gekozen.update(regel.maatregelen)
    return tuple(m.code for m in CATALOGUS if m.code in gekozen)


def beoordeel(vragenlijst: Vragenlijst, antwoorden: Antwoorden) -> Beoordeling:
    """Score, level and recommendations for answers that passed `valideer_antwoorden`."""
    score = punten(vragenlijst, antwoorden)
    niveau = niveau_voor(vragenlijst, score, antwoorden)
    return Beoordeling(
        score=score,
        max_score=vragenlijst.max_score,
        niveau=niveau,
        aanbevolen_maatregelen=aanbevelingen(vragenlijst, antwoorden, niveau),
    )


def beschrijving(vragenlijst: Vragenlijst) -> str:
    """Markdown documentation of the scoring, for the OpenAPI description."""
    regels = [
        f"Vragenlijst versie {vragenlijst.versie}. Score = som van gewicht × antwoord "
        f"(ja = 1, nee = 0, schaal 0..3); maximaal {vragenlijst.max_score}.",
        f"Niveau: `laag` onder {vragenlijst.verhoogd_vanaf}, `verhoogd` vanaf "
        f"{vragenlijst.verhoogd_vanaf}, `hoog` vanaf {vragenlijst.hoog_vanaf}.",
        "Ophogingen: " + " ".join(o.toelichting for o in vragenlijst.ophogingen),
        "Aanbevelingen (elke regel die geldt; codes in catalogusvolgorde):",
    ]
    for r in vragenlijst.regels:
        voorwaarden = " en ".join(f"`{w.vraag}` ≥ {w.minimaal}" for w in r.voorwaarden)
        extra = (
            f" bij niveau ≥ `{r.minimaal_niveau}`" if r.minimaal_niveau is not Niveau.laag else ""
        )
        regels.append(f"- {voorwaarden}{extra} → {', '.join(f'`{m}`' for m in r.maatregelen)}")
    return "\n".join(regels)
