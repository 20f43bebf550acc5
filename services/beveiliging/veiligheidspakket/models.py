"""The package for a starting mayor and its intake conversation."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, UniqueConstraint, Uuid
from sqlmodel import Field

from services.beveiliging.db import SCHEMA, BeveiligingTable
from services.common.types import UtcDateTime, utcnow


class Intakegesprek(BeveiligingTable, table=True):
    __tablename__ = "intakegesprek"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisatie: str = Field(max_length=16, index=True)
    betreft: str = Field(max_length=255)
    status: str = Field(max_length=32)
    gepland: datetime | None = Field(default=None, sa_type=UtcDateTime)
    aangemaakt_op: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, nullable=False)


class Veiligheidspakket(BeveiligingTable, table=True):
    __tablename__ = "veiligheidspakket"
    __table_args__ = (UniqueConstraint("burgemeester", "gemeente"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    burgemeester: str = Field(max_length=255)
    gemeente: str = Field(max_length=16, index=True)
    startdatum: date
    intakegesprek_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey(f"{SCHEMA}.intakegesprek.id"), nullable=False)
    )
    woningscan_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey(f"{SCHEMA}.woningscan.id"), nullable=False)
    )
    aangemaakt_door: str = Field(max_length=255)
    aangemaakt_op: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, nullable=False)
