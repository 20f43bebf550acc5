"""Home scan request and response bodies. The address appears only in the detail view."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field, field_validator

from services.beveiliging.maatregel.schemas import Code
from services.beveiliging.woningscan.states import WoningscanStatus
from services.common.schemas import (
    ORGANISATION_CODE_PATTERN,
    PROSE_PATTERN,
    ApiInput,
    ApiOutput,
    ReadOnly,
    Subject,
)
from services.common.types import ClientDatetime

# Kept in the status history as text: no NUL (a 500 on PostgreSQL) or control characters.
Toelichting = Annotated[str, Field(min_length=1, max_length=2000, pattern=PROSE_PATTERN)]


class Adres(ApiInput):
    straat: Annotated[str, Field(min_length=1, max_length=200)]
    huisnummer: Annotated[str, Field(min_length=1, max_length=16, examples=["12a"])]
    postcode: Annotated[str, Field(pattern=r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", examples=["1012 AB"])]
    woonplaats: Annotated[str, Field(min_length=1, max_length=100)]

    @field_validator("postcode")
    @classmethod
    def _normaliseer(cls, waarde: str) -> str:
        compact = waarde.replace(" ", "").upper()
        return f"{compact[:4]} {compact[4:]}"


class _ServerFields(ApiInput):
    """Set by the server: sending one is 400 `read_only`, never silently ignored."""

    id: ReadOnly = None
    status: ReadOnly = None
    aanvrager: ReadOnly = None
    adviseur: ReadOnly = None
    gepland: ReadOnly = None
    advies: ReadOnly = None
    adres_bekend: ReadOnly = None
    aangemaakt_op: ReadOnly = None
    gewijzigd_op: ReadOnly = None


class WoningscanCreate(_ServerFields):
    adres: Adres
    reden: Toelichting
    melding_id: uuid.UUID | None = Field(
        default=None, description="Verwijzing, niet gecontroleerd."
    )
    betreft: Subject | None = Field(
        default=None, description="Voor wie (subject); alleen adviseurs vragen aan voor een ander."
    )
    organisatie: Annotated[str | None, Field(pattern=ORGANISATION_CODE_PATTERN)] = Field(
        default=None, description="Standaard de eigen organisatie; een andere alleen voor OWB."
    )


class WoningscanPatch(_ServerFields):
    adres: Adres


class WoningscanStatuswijzigingCreate(ApiInput):
    status: WoningscanStatus
    toelichting: Toelichting | None = None
    gepland: ClientDatetime | None = Field(default=None, description="Nodig voor `ingepland`.")
    adviseur: Subject | None = Field(default=None, description="Nodig voor `ingepland`.")
    advies: list[Code] | None = Field(
        default=None, description="Maatregelcodes; nodig voor `advies_opgeleverd`."
    )


class WoningscanSummary(ApiOutput):
    """As in lists: never the address or the reason."""

    id: uuid.UUID
    status: WoningscanStatus
    organisatie: str
    aanvrager: str
    betreft: str
    adviseur: str | None
    gepland: datetime | None
    advies: list[str] | None
    melding_id: uuid.UUID | None
    adres_bekend: bool
    aangemaakt_op: datetime
    gewijzigd_op: datetime


class WoningscanOut(WoningscanSummary):
    adres: Adres | None
    reden: str
