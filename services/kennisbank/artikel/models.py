"""Table classes of the artikel subdomain."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Text, UniqueConstraint
from sqlmodel import Field

from services.common.types import UtcDateTime
from services.kennisbank.db import KennisbankTable


class Artikel(KennisbankTable, table=True):
    __tablename__ = "artikel"
    __table_args__ = (Index("ix_artikel_status_aangemaakt_op", "status", "aangemaakt_op"),)

    id: uuid.UUID = Field(primary_key=True)
    slug: str = Field(sa_column=Column(String(100), nullable=False, unique=True))
    titel: str = Field(sa_column=Column(String(200), nullable=False))
    samenvatting: str = Field(sa_column=Column(Text, nullable=False))
    inhoud: str = Field(sa_column=Column(Text, nullable=False))
    # The sanitised HTML of `inhoud`, rendered when it was written: a read never renders.
    inhoud_html: str = Field(sa_column=Column(Text, nullable=False))
    type: str = Field(sa_column=Column(String(20), nullable=False))
    status: str = Field(sa_column=Column(String(20), nullable=False))
    versie: int = Field(default=1, nullable=False)
    aangemaakt_door: str = Field(sa_column=Column(String(255), nullable=False))
    gewijzigd_door: str = Field(sa_column=Column(String(255), nullable=False))
    aangemaakt_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    gewijzigd_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    gepubliceerd_op: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class ArtikelThema(KennisbankTable, table=True):
    __tablename__ = "artikel_thema"
    __table_args__ = (Index("ix_artikel_thema_thema", "thema"),)

    artikel_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("kennisbank.artikel.id"), primary_key=True)
    )
    thema: str = Field(sa_column=Column(String(40), primary_key=True))


class ArtikelDoelgroep(KennisbankTable, table=True):
    __tablename__ = "artikel_doelgroep"
    __table_args__ = (Index("ix_artikel_doelgroep_doelgroep", "doelgroep"),)

    artikel_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("kennisbank.artikel.id"), primary_key=True)
    )
    doelgroep: str = Field(sa_column=Column(String(40), primary_key=True))


class Revisie(KennisbankTable, table=True):
    """The article as it was after each change; rows are only ever added."""

    __tablename__ = "revisie"
    __table_args__ = (UniqueConstraint("artikel_id", "versie"),)

    id: uuid.UUID = Field(primary_key=True)
    artikel_id: uuid.UUID = Field(foreign_key="kennisbank.artikel.id", index=True)
    versie: int = Field(nullable=False)
    actie: str = Field(sa_column=Column(String(20), nullable=False))
    titel: str = Field(sa_column=Column(String(200), nullable=False))
    samenvatting: str = Field(sa_column=Column(Text, nullable=False))
    inhoud: str = Field(sa_column=Column(Text, nullable=False))
    themas: list[str] = Field(sa_column=Column(JSON, nullable=False))
    doelgroepen: list[str] = Field(sa_column=Column(JSON, nullable=False))
    type: str = Field(sa_column=Column(String(20), nullable=False))
    status: str = Field(sa_column=Column(String(20), nullable=False))
    door: str = Field(sa_column=Column(String(255), nullable=False))
    tijdstip: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
