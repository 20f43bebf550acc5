"""Table classes of the statistics: forms per melding, record keys, and the monthly rollups."""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, Column, Integer, SmallInteger, String
from sqlmodel import Field

from services.meldingen.db import MeldingenTable


class MeldingVorm(MeldingenTable, table=True):
    """Written with the melding; `melding.vormen` stays the source the API shows."""

    __tablename__ = "melding_vorm"

    melding_id: uuid.UUID = Field(primary_key=True, foreign_key="meldingen.melding.id")
    vorm: str = Field(sa_column=Column(String(30), primary_key=True, index=True))


class RecordSleutel(MeldingenTable, table=True):
    """The random record key (0-255) of a melding for the cell-key method; never shown.

    A table of its own, not a column of `melding`, so no melding query or wire model can
    carry it by accident: only the statistics read it. It survives anonymisation.
    """

    __tablename__ = "statistiek_sleutel"

    melding_id: uuid.UUID = Field(primary_key=True, foreign_key="meldingen.melding.id")
    sleutel: int = Field(sa_column=Column(SmallInteger, nullable=False))


class StatistiekCel(MeldingenTable, table=True):
    """One cell of one monthly rollup: how many meldingen and the sum of their record keys.

    `groepering` names the rollup (see statistiek.rollup.GROEPERINGEN); a dimension the
    rollup does not carry holds ''. `zicht` says who may see the cell's meldingen in a
    handler's figures: 0 own organisation, 1 also the national team (referred to OWB),
    2 confidential (national team only). Only the `bereik` rollups (a handler's figures)
    keep it apart; the others hold 0, and national ones '' as organisation.
    """

    __tablename__ = "statistiek_cel"

    groepering: str = Field(sa_column=Column(String(60), primary_key=True))
    organisatie: str = Field(sa_column=Column(String(10), primary_key=True))
    maand: str = Field(sa_column=Column(String(7), primary_key=True))
    zicht: int = Field(sa_column=Column(SmallInteger, primary_key=True, autoincrement=False))
    gedragstype: str = Field(sa_column=Column(String(40), primary_key=True))
    vorm: str = Field(sa_column=Column(String(30), primary_key=True))
    functie: str = Field(sa_column=Column(String(40), primary_key=True))
    status: str = Field(sa_column=Column(String(20), primary_key=True))
    prioriteit: str = Field(sa_column=Column(String(10), primary_key=True))
    aantal: int = Field(sa_column=Column(Integer, nullable=False))
    sleutelsom: int = Field(sa_column=Column(BigInteger, nullable=False))
