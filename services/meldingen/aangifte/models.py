"""Table classes of the police report: the current state, and every version ever written."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, String, Text
from sqlmodel import Field

from services.common.types import UtcDateTime
from services.meldingen.db import MeldingenTable


class Aangifte(MeldingenTable, table=True):
    """The current police report of a melding (at most one)."""

    __tablename__ = "aangifte"

    melding_id: uuid.UUID = Field(primary_key=True, foreign_key="meldingen.melding.id")
    datum_aangifte: date = Field(sa_column=Column(Date, nullable=False))
    # AES-GCM ciphertext bound to the melding id; null when not given or anonymised.
    politie_registratienummer_versleuteld: str | None = Field(default=None, sa_column=Column(Text))
    status: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    ondersteuning: list[str] = Field(sa_column=Column(JSON, nullable=False))
    gewijzigd_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    versie: int = Field(default=1, nullable=False)


class AangifteWijziging(MeldingenTable, table=True):
    """History of the police report: one row per PUT, never edited."""

    __tablename__ = "aangifte_wijziging"

    id: uuid.UUID = Field(primary_key=True)
    melding_id: uuid.UUID = Field(foreign_key="meldingen.melding.id", index=True)
    datum_aangifte: date = Field(sa_column=Column(Date, nullable=False))
    politie_registratienummer_versleuteld: str | None = Field(default=None, sa_column=Column(Text))
    status: str = Field(sa_column=Column(String(20), nullable=False))
    ondersteuning: list[str] = Field(sa_column=Column(JSON, nullable=False))
    door: str | None = Field(default=None, sa_column=Column(String(255)))
    rol: str = Field(sa_column=Column(String(30), nullable=False))
    tijdstip: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
