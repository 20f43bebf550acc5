"""Request and response models of the police report (camelCase on the wire)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from services.common.schemas import ApiInput, ApiOutput, Distinct
from services.common.types import ClientDate
from services.meldingen.aangifte.enums import AangifteStatus, Ondersteuning

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _not_in_future(value: date) -> date:
    if value > datetime.now(AMSTERDAM).date():
        raise PydanticCustomError("future_date", "De datum ligt in de toekomst.")
    return value


class AangiftePut(ApiInput):
    """The whole police report: a PUT replaces it, and the previous version stays in history."""

    datum_aangifte: Annotated[ClientDate, AfterValidator(_not_in_future)] = Field(
        description="De dag van de aangifte (Europe/Amsterdam), niet in de toekomst."
    )
    politie_registratienummer: str | None = Field(
        default=None,
        min_length=1,
        max_length=50,
        description="Het registratienummer van de politie; versleuteld opgeslagen.",
    )
    status: AangifteStatus
    ondersteuning: Annotated[list[Ondersteuning], Field(max_length=4), Distinct()] = Field(
        default_factory=list
    )


class AangifteVersie(ApiOutput):
    datum_aangifte: date
    politie_registratienummer: str | None = Field(
        description="Null als niet opgegeven of na anonimisering."
    )
    status: AangifteStatus
    ondersteuning: list[Ondersteuning]
    rol: str = Field(description="`melder` of `behandelaar`; nooit wie het was.")
    tijdstip: datetime


class AangifteOut(ApiOutput):
    datum_aangifte: date
    politie_registratienummer: str | None = Field(
        description="Null als niet opgegeven of na anonimisering."
    )
    status: AangifteStatus
    ondersteuning: list[Ondersteuning]
    gewijzigd_op: datetime
    historie: list[AangifteVersie] = Field(
        description="Elke versie die ooit is vastgelegd, nieuwste eerst (de eerste is de huidige)."
    )
