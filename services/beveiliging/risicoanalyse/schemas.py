"""Questionnaire and risk-analysis bodies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, StrictInt

from services.beveiliging.risicoanalyse.vragenlijst import Niveau, VraagType
from services.common.schemas import (
    ORGANISATION_CODE_PATTERN,
    ApiInput,
    ApiOutput,
    ReadOnly,
    Subject,
)


class VraagOut(ApiOutput):
    code: str
    vraag: str
    type: VraagType
    gewicht: int


class VragenlijstOut(ApiOutput):
    versie: int
    vragen: list[VraagOut]
    max_score: int
    verhoogd_vanaf: int = Field(description="Vanaf deze score is het niveau `verhoogd`.")
    hoog_vanaf: int = Field(description="Vanaf deze score is het niveau `hoog`.")


class RisicoanalyseCreate(ApiInput):
    # Set by the server: sending one is 400 `read_only`, never silently ignored.
    id: ReadOnly = None
    score: ReadOnly = None
    max_score: ReadOnly = None
    niveau: ReadOnly = None
    aanbevolen_maatregelen: ReadOnly = None
    aanvrager: ReadOnly = None
    aangemaakt_op: ReadOnly = None
    vragenlijst_versie: StrictInt
    antwoorden: dict[str, Any] = Field(
        description="Per vraagcode: `true`/`false` (ja_nee) of 0..3 (schaal_0_3).",
        examples=[{"eerdere_bedreigingen": True, "publieke_zichtbaarheid": 2}],
    )
    melding_id: uuid.UUID | None = None
    betreft: Subject | None = Field(
        default=None, description="Voor wie; alleen adviseurs doen een analyse voor een ander."
    )
    organisatie: Annotated[str | None, Field(pattern=ORGANISATION_CODE_PATTERN)] = None


class RisicoanalyseSummary(ApiOutput):
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


class RisicoanalyseOut(RisicoanalyseSummary):
    antwoorden: dict[str, bool | int]
