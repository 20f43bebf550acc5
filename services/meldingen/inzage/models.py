"""Table class of the access log: rows are only ever added (the app role may not change them)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, Index, String
from sqlmodel import Field

from services.common.types import UtcDateTime
from services.meldingen.db import MeldingenTable


class Inzage(MeldingenTable, table=True):
    __tablename__ = "inzage"
    __table_args__ = (Index("ix_inzage_melding_id_tijdstip", "melding_id", "tijdstip"),)

    id: uuid.UUID = Field(primary_key=True)
    melding_id: uuid.UUID = Field(foreign_key="meldingen.melding.id")
    # The reader's subject: never shown through the API; null once anonymised.
    subject: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    rol: str = Field(sa_column=Column(String(30), nullable=False))
    organisatie: str | None = Field(default=None, sa_column=Column(String(10), nullable=True))
    actie: str = Field(sa_column=Column(String(30), nullable=False))
    tijdstip: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    request_id: str | None = Field(default=None, sa_column=Column(String(200), nullable=True))
