"""Request and response models of notes."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field, StrictBool

from services.common.schemas import ApiInput, ApiOutput
from services.meldingen.melding.schemas import MAX_TEKST


class NotitieCreate(ApiInput):
    tekst: str = Field(min_length=1, max_length=MAX_TEKST)
    zichtbaar_voor_melder: StrictBool = Field(
        default=False, description="Een notitie van de melder zelf is altijd zichtbaar."
    )


class NotitieOut(ApiOutput):
    id: uuid.UUID
    tekst: str | None = Field(description="Null nadat de melding is geanonimiseerd.")
    zichtbaar_voor_melder: bool
    auteur_rol: str = Field(description="`melder` of `behandelaar`; nooit wie het was.")
    aangemaakt_op: datetime
