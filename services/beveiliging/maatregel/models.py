"""The measure catalogue table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field

from services.beveiliging.db import BeveiligingTable
from services.common.types import UtcDateTime, utcnow


class Maatregel(BeveiligingTable, table=True):
    __tablename__ = "maatregel"

    code: str = Field(sa_column=Column(String(64), primary_key=True))
    naam: str = Field(max_length=200)
    categorie: str = Field(max_length=32)
    omschrijving: str = Field(max_length=2000)
    actief: bool = True
    aangemaakt_op: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime, nullable=False)
    ingetrokken_op: datetime | None = Field(default=None, sa_type=UtcDateTime)
