"""Table classes of evidence attachments: metadata, and the encrypted content in segments.

The content is stored as AES-256-GCM segments of at most `SEGMENT_BYTES` each, one row per
segment, so neither an upload nor a download nor a scan ever holds a whole file in memory.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Uuid,
)
from sqlmodel import Field

from services.common.types import UtcDateTime
from services.meldingen.db import MeldingenTable


class Bijlage(MeldingenTable, table=True):
    __tablename__ = "bijlage"
    __table_args__ = (
        Index("ix_bijlage_melding_id_aangemaakt_op", "melding_id", "aangemaakt_op"),
        Index("ix_bijlage_scanstatus", "scanstatus"),
        # The daily upload allowance sums one subject's recent attachments (service.py).
        Index("ix_bijlage_toegevoegd_door_aangemaakt_op", "toegevoegd_door", "aangemaakt_op"),
    )

    id: uuid.UUID = Field(primary_key=True)
    melding_id: uuid.UUID = Field(foreign_key="meldingen.melding.id")
    # Names are free text (they may name a person): both encrypted; null once anonymised.
    bestandsnaam_versleuteld: str | None = Field(sa_column=Column(Text, nullable=True))
    oorspronkelijke_naam_versleuteld: str | None = Field(sa_column=Column(Text, nullable=True))
    mediatype: str = Field(sa_column=Column(String(40), nullable=False))
    grootte: int = Field(sa_column=Column(BigInteger, nullable=False))
    # Hex SHA-256 of the bytes as received: the chain of custody; never changes.
    sha256: str = Field(sa_column=Column(String(64), nullable=False))
    scanstatus: str = Field(sa_column=Column(String(20), nullable=False))
    # The signature clamd named; kept with the hash after the content is erased.
    virusnaam: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
    omschrijving_versleuteld: str | None = Field(default=None, sa_column=Column(Text))
    zichtbaar_voor_melder: bool = Field(default=True, nullable=False)
    # The key id every segment of the content is encrypted under; null when there is none.
    sleutel: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    delen: int = Field(default=0, nullable=False)
    toegevoegd_door: str | None = Field(default=None, sa_column=Column(String(255)))
    rol: str = Field(sa_column=Column(String(30), nullable=False))
    aangemaakt_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    gescand_op: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    inhoud_gewist_op: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class BijlageDeel(MeldingenTable, table=True):
    """One encrypted segment of an attachment's content (nonce + ciphertext + tag)."""

    __tablename__ = "bijlage_deel"

    bijlage_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid, ForeignKey("meldingen.bijlage.id", ondelete="CASCADE"), primary_key=True
        )
    )
    volgnummer: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
