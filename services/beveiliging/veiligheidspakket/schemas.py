"""Bodies of the package for a starting mayor."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from services.beveiliging.beveiligingsmaatregel.states import MaatregelStatus
from services.beveiliging.schemas import GEMEENTE_PATROON, Invoer, Subject, Uitvoer
from services.beveiliging.woningscan.schemas import Adres
from services.beveiliging.woningscan.states import WoningscanStatus


class VeiligheidspakketNieuw(Invoer):
    burgemeester: Subject
    gemeente: Annotated[str, Field(pattern=GEMEENTE_PATROON, examples=["GM0363"])]
    startdatum: date
    adres: Adres | None = Field(
        default=None, description="Mag later volgen; inplannen van de woningscan vraagt het."
    )


class IntakegesprekUit(Uitvoer):
    id: uuid.UUID
    status: str = Field(examples=["te_plannen"])
    gepland: datetime | None


class PakketWoningscanUit(Uitvoer):
    id: uuid.UUID
    status: WoningscanStatus


class PakketMaatregelUit(Uitvoer):
    id: uuid.UUID
    maatregel: str
    status: MaatregelStatus


class VeiligheidspakketUit(Uitvoer):
    id: uuid.UUID
    burgemeester: str
    gemeente: str
    startdatum: date
    intakegesprek: IntakegesprekUit
    woningscan: PakketWoningscanUit
    maatregelen: list[PakketMaatregelUit]
    aangemaakt_op: datetime
