"""Request and response models of aftercare (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field, StrictBool

from services.common.schemas import ApiInput, ApiOutput
from services.common.types import ClientDatetime
from services.meldingen.melding.schemas import MAX_TEKST


class NazorgmomentCreate(ApiInput):
    gepland: ClientDatetime = Field(description="Wanneer het nazorgmoment gepland staat.")
    omschrijving: str = Field(min_length=1, max_length=2000)


class NazorgmomentPatch(ApiInput):
    uitgevoerd: StrictBool = Field(description="Een uitgevoerd moment gaat niet terug naar open.")
    uitkomst: str | None = Field(
        default=None, min_length=1, max_length=MAX_TEKST, description="Versleuteld opgeslagen."
    )


class NazorgmomentInLijst(ApiOutput):
    """A moment in the handler's overview: no free text, so reading it is always logged."""

    id: uuid.UUID
    melding_id: uuid.UUID
    gepland: datetime
    uitgevoerd: bool
    uitgevoerd_op: datetime | None
    verlopen: bool = Field(description="Gepland in het verleden en nog niet uitgevoerd.")
    automatisch: bool = Field(description="Gepland bij het afhandelen van de melding.")
    aangemaakt_op: datetime


class NazorgmomentOut(NazorgmomentInLijst):
    omschrijving: str | None = Field(description="Null nadat de melding is geanonimiseerd.")
    uitkomst: str | None
