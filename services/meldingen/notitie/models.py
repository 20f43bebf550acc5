"""Table class of notes on a melding."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, String, Text
from sqlmodel import Field

from services.common.types import UtcDateTime
from services.meldingen.db import MeldingenTable


class Notitie(MeldingenTable, table=True):
    __tablename__ = "notitie"

    id: uuid.UUID = Field(primary_key=True)
    melding_id: uuid.UUID = Field(foreign_key="meldingen.melding.id", index=True)
    tekst_versleuteld: str | None = Field(sa_column=Column(Text, nullable=True))
    zichtbaar_voor_melder: bool = Field(default=False, nullable=False)
    auteur: str | None = Field(default=None, sa_column=Column(String(255)))
    auteur_rol: str = Field(sa_column=Column(String(30), nullable=False))
    aangemaakt_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
