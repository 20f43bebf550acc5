"""Table classes of the melding subdomain."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field

from services.common.types import UtcDateTime
from services.meldingen.db import MeldingenTable

# A melding still waiting to be picked up whose escalation has not been written yet.
TERMIJN_OPEN = "opgepakt_op IS NULL AND termijn_gemeld_op IS NULL AND status = 'ontvangen'"


class Melding(MeldingenTable, table=True):
    __tablename__ = "melding"
    __table_args__ = (
        Index("ix_melding_organisatie_aangemaakt_op", "organisatie", "aangemaakt_op"),
        Index("ix_melding_melder", "melder"),
        Index("ix_melding_statistiek", "organisatie", "maand_voorval", "gedragstype"),
        # The escalation scheduler's query: only the meldingen still waiting for a handler.
        Index(
            "ix_melding_termijn_open",
            "reactie_uiterlijk",
            postgresql_where=text(TERMIJN_OPEN),
            sqlite_where=text(TERMIJN_OPEN),
        ),
    )

    id: uuid.UUID = Field(primary_key=True)
    kenmerk: str = Field(sa_column=Column(String(20), nullable=False, unique=True))
    gedragstype: str = Field(sa_column=Column(String(40), nullable=False))
    vormen: list[str] = Field(sa_column=Column(JSON, nullable=False))
    # AES-GCM ciphertext bound to the row id; never plaintext (see services.common.crypto).
    omschrijving_versleuteld: str | None = Field(sa_column=Column(Text, nullable=True))
    datum_voorval: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    # "YYYY-MM" of datum_voorval in Europe/Amsterdam: the `maand` of the statistics.
    maand_voorval: str = Field(sa_column=Column(String(7), nullable=False))
    functie: str = Field(sa_column=Column(String(40), nullable=False))
    organisatie: str = Field(sa_column=Column(String(10), nullable=False))
    vertrouwelijk: bool = Field(default=False, nullable=False)
    acuut_gevaar: bool = Field(default=False, nullable=False)
    status: str = Field(sa_column=Column(String(20), nullable=False, index=True))
    prioriteit: str = Field(sa_column=Column(String(10), nullable=False))
    behandelaar: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    # The reporter's subject; null once anonymised after the retention period.
    melder: str | None = Field(default=None, sa_column=Column(String(255), nullable=True))
    aangemaakt_door: str | None = Field(default=None, sa_column=Column(String(255)))
    doorverwezen_naar: str | None = Field(default=None, sa_column=Column(String(30)))
    owb_bereik: bool = Field(default=False, nullable=False)
    advies: list[str] = Field(sa_column=Column(JSON, nullable=False))
    aangemaakt_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    gewijzigd_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    afgesloten_op: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    versie: int = Field(default=1, nullable=False)
    # By when a handler must pick it up (termijn/service.py); recomputed on a priority change.
    reactie_uiterlijk: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    # The first handler move out of `ontvangen` or the first assignment; never reset.
    opgepakt_op: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    # When the scheduler wrote `melding-termijn-verstreken`: set once, in the event's transaction.
    termijn_gemeld_op: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))


class KenmerkTeller(MeldingenTable, table=True):
    """One row per calendar year (Europe/Amsterdam); updated in the create's transaction."""

    __tablename__ = "kenmerk_teller"

    jaar: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    laatste: int = Field(default=0, nullable=False)


class Statuswijziging(MeldingenTable, table=True):
    """History of status changes; rows are only ever added."""

    __tablename__ = "statuswijziging"

    id: uuid.UUID = Field(primary_key=True)
    melding_id: uuid.UUID = Field(foreign_key="meldingen.melding.id", index=True)
    van: str = Field(sa_column=Column(String(20), nullable=False))
    naar: str = Field(sa_column=Column(String(20), nullable=False))
    toelichting_versleuteld: str | None = Field(default=None, sa_column=Column(Text))
    doorverwezen_naar: str | None = Field(default=None, sa_column=Column(String(30)))
    door: str | None = Field(default=None, sa_column=Column(String(255)))
    rol: str = Field(sa_column=Column(String(30), nullable=False))
    tijdstip: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class IdempotentVerzoek(MeldingenTable, table=True):
    """`Idempotency-Key` per subject, stored in the same transaction as the melding."""

    __tablename__ = "idempotent_verzoek"
    __table_args__ = (UniqueConstraint("subject", "sleutel"),)

    id: uuid.UUID = Field(primary_key=True)
    subject: str = Field(sa_column=Column(String(255), nullable=False))
    sleutel: str = Field(sa_column=Column(String(64), nullable=False))
    verzoek_hash: str = Field(sa_column=Column(String(64), nullable=False))
    # No longer written (migration 0010): kept nullable for a rolling update, dropped later.
    status_code: int | None = Field(default=None, nullable=True)
    melding_id: uuid.UUID = Field(nullable=False)
    # The response body holds the report's text: encrypted like the melding itself.
    antwoord_versleuteld: str = Field(sa_column=Column(Text, nullable=False))
    verloopt_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False, index=True))
