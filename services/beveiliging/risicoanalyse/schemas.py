"""Questionnaire and risk-analysis bodies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, StrictInt

from services.beveiliging.risicoanalyse.vragenlijst import Niveau, VraagType
from services.beveiliging.schemas import ORGANISATIE_PATROON, Invoer, Subject, Uitvoer


class VraagUit(Uitvoer):
    code: str
    vraag: str
    type: VraagType
    gewicht: int


class VragenlijstUit(Uitvoer):
    versie: int
    vragen: list[VraagUit]
    max_score: int
    verhoogd_vanaf: int = Field(description="Vanaf deze score is het niveau `verhoogd`.")
    hoog_vanaf: int = Field(description="Vanaf deze score is het niveau `hoog`.")


class RisicoanalyseNieuw(Invoer):
    vragenlijst_versie: StrictInt
    antwoorden: dict[str, Any] = Field(
        description="Per vraagcode: `true`/`false` (ja_nee) of 0..3 (schaal_0_3).",
        examples=[{"eerdere_bedreigingen": True, "publieke_zichtbaarheid": 2}],
    )
    melding_id: uuid.UUID | None = None
    betreft: Subject | None = Field(
        default=None, description="Voor wie; alleen adviseurs doen een analyse voor een ander."
    )
    organisatie: Annotated[str | None, Field(pattern=ORGANISATIE_PATROON)] = None


class RisicoanalyseUit(Uitvoer):
    id: uuid.UUID
    score: int
    max_score: int
    niveau: Niveau
    aanbevolen_maatregelen: list[str]
    vragenlijst_versie: int
    organisatie: str
    aanvrager: str
    betreft: str
    melding_id: uuid.UUID | None
    aangemaakt_op: datetime


class RisicoanalyseDetail(RisicoanalyseUit):
    antwoorden: dict[str, bool | int]
