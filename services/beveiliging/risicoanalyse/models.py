"""Stored risk analyses. The answers are encrypted: they say who is threatened and how."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field

from services.beveiliging.db import BeveiligingTable
from services.common.types import UtcDateTime, utcnow


class Risicoanalyse(BeveiligingTable, table=True):
    __tablename__ = "risicoanalyse"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisatie: str = Field(max_length=16, index=True)
    aanvrager: str = Field(max_length=255, index=True)
    betreft: str = Field(max_length=255, index=True)
    vragenlijst_versie: int
    antwoorden_versleuteld: str = Field(sa_column=Column(Text, nullable=False))
    score: int
    niveau: str = Field(max_length=16)
    aanbevolen_maatregelen: list[str] = Field(sa_column=Column(JSON, nullable=False))
    melding_id: uuid.UUID | None = None
    aangemaakt_op: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, nullable=False)
