"""Measure-per-person bodies. `kosten` is a decimal string on the wire, never a float."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field

from services.beveiliging.beveiligingsmaatregel.states import Financier, MaatregelStatus
from services.beveiliging.maatregel.schemas import Code
from services.beveiliging.woningscan.schemas import Toelichting
from services.common.schemas import (
    ORGANISATION_CODE_PATTERN,
    ApiInput,
    ApiOutput,
    ReadOnly,
    Subject,
)
from services.common.types import ClientDate

Kosten = Annotated[
    str,
    Field(pattern=r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$", examples=["1250.00"]),
]


def naar_centen(kosten: str) -> int:
    return int(Decimal(kosten) * 100)


def als_decimaal(centen: int) -> str:
    return f"{Decimal(centen) / 100:.2f}"


class BeveiligingsmaatregelCreate(ApiInput):
    # Set by the server: sending one is 400 `read_only`, never silently ignored.
    id: ReadOnly = None
    status: ReadOnly = None
    veiligheidspakket_id: ReadOnly = None
    aangemaakt_op: ReadOnly = None
    gewijzigd_op: ReadOnly = None
    # A catalogue code: its pattern keeps NUL out of the lookup (a 500 on PostgreSQL).
    maatregel: Code
    betreft: Subject
    woningscan_id: uuid.UUID | None = None
    kosten: Kosten
    financier: Financier
    einddatum: ClientDate | None = Field(default=None, description="Datum voor evaluatie of einde.")
    organisatie: Annotated[str | None, Field(pattern=ORGANISATION_CODE_PATTERN)] = Field(
        default=None, description="Standaard de eigen organisatie; een andere alleen voor OWB."
    )


class MaatregelStatuswijzigingCreate(ApiInput):
    status: MaatregelStatus
    toelichting: Toelichting | None = None


class BeveiligingsmaatregelOut(ApiOutput):
    id: uuid.UUID
    maatregel: str
    betreft: str
    organisatie: str
    woningscan_id: uuid.UUID | None
    veiligheidspakket_id: uuid.UUID | None
    kosten: str = Field(examples=["1250.00"])
    financier: Financier
    einddatum: date | None
    status: MaatregelStatus
    aangemaakt_op: datetime
    gewijzigd_op: datetime
