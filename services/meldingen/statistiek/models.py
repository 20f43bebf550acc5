"""Table class of the forms of a melding, one row each, so statistics can group by `vorm`."""

from __future__ import annotations

import uuid

from sqlalchemy import Column, String
from sqlmodel import Field

from services.meldingen.db import MeldingenTable


class MeldingVorm(MeldingenTable, table=True):
    """Written with the melding; `melding.vormen` stays the source the API shows."""

    __tablename__ = "melding_vorm"

    melding_id: uuid.UUID = Field(primary_key=True, foreign_key="meldingen.melding.id")
    vorm: str = Field(sa_column=Column(String(30), primary_key=True, index=True))
