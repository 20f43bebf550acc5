"""Table class of aftercare moments."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Index, String, Text
from sqlmodel import Field

from services.common.types import UtcDateTime
from services.meldingen.db import MeldingenTable


class Nazorgmoment(MeldingenTable, table=True):
    __tablename__ = "nazorgmoment"
    __table_args__ = (Index("ix_nazorgmoment_uitgevoerd_gepland", "uitgevoerd", "gepland"),)

    id: uuid.UUID = Field(primary_key=True)
    melding_id: uuid.UUID = Field(foreign_key="meldingen.melding.id", index=True)
    gepland: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    # Free text, AES-GCM bound to the row; null once anonymised.
    omschrijving_versleuteld: str | None = Field(default=None, sa_column=Column(Text))
    uitgevoerd: bool = Field(default=False, nullable=False)
    uitgevoerd_op: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    uitkomst_versleuteld: str | None = Field(default=None, sa_column=Column(Text))
    automatisch: bool = Field(default=False, nullable=False)
    aangemaakt_door: str | None = Field(default=None, sa_column=Column(String(255)))
    aangemaakt_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
