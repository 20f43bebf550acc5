"""Response models of the delivery log."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from services.common.schemas import ApiOutput
from services.notificaties.aflevering.states import AfleveringStatus, PogingStatus


class PogingOut(ApiOutput):
    """One attempt to deliver one event."""

    id: uuid.UUID = Field(description="Id van deze poging.")
    aflevering_id: uuid.UUID = Field(
        description="De aflevering (gebeurtenis × abonnement) waar de poging bij hoort."
    )
    gebeurtenis_id: uuid.UUID = Field(description="Het id van de CloudEvent (= `webhook-id`).")
    type: str = Field(examples=["nl.weerbaarbestuur.meldingen.melding-aangemaakt"])
    tijdstip: datetime
    poging: int = Field(description="1 voor de eerste poging, dan oplopend.")
    status: PogingStatus
    http_status: int | None = Field(description="null als er geen antwoord kwam.")
    duur_ms: int | None


class AfleveringOut(ApiOutput):
    id: uuid.UUID
    gebeurtenis_id: uuid.UUID
    type: str
    status: AfleveringStatus
    pogingen: int
    volgende_poging_op: datetime
