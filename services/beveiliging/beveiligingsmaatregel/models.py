"""Measures for a person. Costs are stored as whole cents: exact on both databases."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Column, ForeignKey, String, Uuid
from sqlmodel import Field

from services.beveiliging.db import SCHEMA, BeveiligingTable
from services.common.types import UtcDateTime, utcnow


class Beveiligingsmaatregel(BeveiligingTable, table=True):
    __tablename__ = "beveiligingsmaatregel"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organisatie: str = Field(max_length=16, index=True)
    betreft: str = Field(max_length=255, index=True)
    maatregel: str = Field(
        sa_column=Column(String(64), ForeignKey(f"{SCHEMA}.maatregel.code"), nullable=False)
    )
    woningscan_id: uuid.UUID | None = Field(
        default=None,
        sa_column=Column(Uuid, ForeignKey(f"{SCHEMA}.woningscan.id"), nullable=True),
    )
    veiligheidspakket_id: uuid.UUID | None = Field(
        default=None,
        sa_column=Column(
            Uuid, ForeignKey(f"{SCHEMA}.veiligheidspakket.id"), nullable=True, index=True
        ),
    )
    kosten_centen: int = Field(sa_column=Column(BigInteger, nullable=False))
    financier: str = Field(max_length=16)
    einddatum: date | None = Field(default=None, index=True)
    status: str = Field(max_length=32, index=True)
    aangemaakt_door: str = Field(max_length=255)
    aangemaakt_op: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, nullable=False)
    gewijzigd_op: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, nullable=False)
