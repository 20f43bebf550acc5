"""Home scans and their status history. Address and reason are stored encrypted."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Text, Uuid
from sqlmodel import Field

from services.beveiliging.db import SCHEMA, BeveiligingTable
from services.common.types import UtcDateTime, utcnow


class Woningscan(BeveiligingTable, table=True):
    __tablename__ = "woningscan"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisatie: str = Field(max_length=16, index=True)
    aanvrager: str = Field(max_length=255, index=True)
    betreft: str = Field(max_length=255, index=True)
    adres_versleuteld: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reden_versleuteld: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=32, index=True)
    adviseur: str | None = Field(default=None, max_length=255)
    gepland: datetime | None = Field(default=None, sa_type=UtcDateTime)
    advies: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    melding_id: uuid.UUID | None = None
    aangemaakt_op: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, nullable=False)
    gewijzigd_op: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, nullable=False)


class WoningscanStatuswijziging(BeveiligingTable, table=True):
    """Append-only: who moved the scan from where to where, when."""

    __tablename__ = "woningscan_statuswijziging"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    woningscan_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid,
            ForeignKey(f"{SCHEMA}.woningscan.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    van: str | None = Field(default=None, max_length=32)
    naar: str = Field(max_length=32)
    door: str = Field(max_length=255)
    toelichting: str | None = Field(default=None, max_length=2000)
    tijdstip: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, nullable=False)
