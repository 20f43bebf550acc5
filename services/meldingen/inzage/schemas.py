"""Response model of the access log: what was done, when, by which role and organisation."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from services.common.schemas import ApiOutput
from services.meldingen.inzage.enums import Actie


class InzageOut(ApiOutput):
    tijdstip: datetime
    actie: Actie
    rol: str = Field(description="De rol van wie las of wijzigde; nooit wie het was.")
    organisatie: str | None = Field(description="De organisatie van wie las of wijzigde.")
