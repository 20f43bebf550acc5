"""Bodies of the package for a starting mayor."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from services.beveiliging.beveiligingsmaatregel.states import MaatregelStatus
from services.beveiliging.woningscan.schemas import Adres
from services.beveiliging.woningscan.states import WoningscanStatus
from services.common.schemas import ApiInput, ApiOutput, ReadOnly, Subject
from services.common.types import ClientDate

GEMEENTE_PATROON = r"^GM[0-9]{4}$"


class VeiligheidspakketCreate(ApiInput):
    # Set by the server: sending one is 400 `read_only`, never silently ignored.
    id: ReadOnly = None
    intakegesprek: ReadOnly = None
    woningscan: ReadOnly = None
    maatregelen: ReadOnly = None
    aangemaakt_op: ReadOnly = None
    burgemeester: Subject
    gemeente: Annotated[str, Field(pattern=GEMEENTE_PATROON, examples=["GM0363"])]
    startdatum: ClientDate
    adres: Adres | None = Field(
        default=None, description="Mag later volgen; inplannen van de woningscan vraagt het."
    )


class IntakegesprekOut(ApiOutput):
    id: uuid.UUID
    status: str = Field(examples=["te_plannen"])
    gepland: datetime | None


class PakketWoningscanOut(ApiOutput):
    id: uuid.UUID
    status: WoningscanStatus


class PakketMaatregelOut(ApiOutput):
    id: uuid.UUID
    maatregel: str
    status: MaatregelStatus


class VeiligheidspakketOut(ApiOutput):
    id: uuid.UUID
    burgemeester: str
    gemeente: str
    startdatum: date
    intakegesprek: IntakegesprekOut
    woningscan: PakketWoningscanOut
    maatregelen: list[PakketMaatregelOut]
    aangemaakt_op: datetime
