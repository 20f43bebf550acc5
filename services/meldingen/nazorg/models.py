"""Table class of aftercare moments."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Index, String, Text, text
from sqlmodel import Field

from services.common.types import UtcDateTime
from services.meldingen.db import MeldingenTable

VERLOPEN_OPEN = "uitgevoerd = false AND verlopen_gemeld_op IS NULL"


class Nazorgmoment(MeldingenTable, table=True):
    __tablename__ = "nazorgmoment"
    __table_args__ = (
        Index("ix_nazorgmoment_uitgevoerd_gepland", "uitgevoerd", "gepland"),
        # The escalation scheduler's query: planned, not performed, not yet reported overdue.
        Index(
            "ix_nazorgmoment_verlopen_open",
            "gepland",
            postgresql_where=text(VERLOPEN_OPEN),
            sqlite_where=text(VERLOPEN_OPEN),
        ),
    )

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
    # When the scheduler wrote `nazorgmoment-verlopen`: set once, in the event's transaction.
    verlopen_gemeld_op: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
