"""Response models of evidence attachments (the upload itself is multipart, see router.py)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from services.common.schemas import ApiOutput
from services.meldingen.bijlage.enums import Scanstatus

MAX_OMSCHRIJVING = 1000


class BijlageOut(ApiOutput):
    id: uuid.UUID
    bestandsnaam: str | None = Field(
        description="De opgeschoonde naam: zonder pad, stuurtekens en richtingstekens; "
        "hoogstens 100 tekens; de extensie past bij `mediatype`. Null nadat de melding is "
        "geanonimiseerd."
    )
    mediatype: str = Field(
        description="Uit de inhoud bepaald: `image/png`, `image/jpeg`, `application/pdf`, "
        "`text/plain` of `message/rfc822`."
    )
    grootte: int = Field(description="In bytes.")
    sha256: str = Field(
        description="SHA-256 (hex) over de bytes zoals ontvangen; verandert nooit, ook niet "
        "als de inhoud is gewist."
    )
    scanstatus: Scanstatus
    omschrijving: str | None
    zichtbaar_voor_melder: bool
    aangemaakt_op: datetime
    rol: str = Field(description="`melder` of `behandelaar`: wie de bijlage toevoegde.")
    oorspronkelijke_bestandsnaam: str | None = Field(
        default=None,
        description="Alleen voor behandelaars: de naam zoals die werd meegestuurd.",
    )
