"""Table classes of the abonnement subdomain."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, Index, Integer, String, Text
from sqlmodel import Field

from services.common.types import UtcDateTime
from services.notificaties.db import NotificatiesTable


class Abonnement(NotificatiesTable, table=True):
    """A subscription; roles and organisation are the owner's at creation (or last change)."""

    __tablename__ = "abonnement"
    __table_args__ = (Index("ix_abonnement_eigenaar_aangemaakt_op", "eigenaar", "aangemaakt_op"),)

    id: uuid.UUID = Field(primary_key=True)
    eigenaar: str = Field(sa_column=Column(String(255), nullable=False))
    client_id: str | None = Field(default=None, sa_column=Column(String(255)))
    rollen: list[str] = Field(sa_column=Column(JSON, nullable=False))
    organisatie: str | None = Field(default=None, sa_column=Column(String(10)))
    callback_url: str = Field(sa_column=Column(String(2048), nullable=False))
    types: list[str] = Field(sa_column=Column(JSON, nullable=False))
    organisaties: list[str] | None = Field(default=None, sa_column=Column(JSON))
    actief: bool = Field(default=True, nullable=False)
    uitgeschakeld_reden: str | None = Field(default=None, sa_column=Column(String(40)))
    # Secrets are ciphertexts of the key ring, bound to row and column.
    geheim: str = Field(sa_column=Column(Text, nullable=False))
    vorig_geheim: str | None = Field(default=None, sa_column=Column(Text))
    vorig_geheim_tot: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    versie: int = Field(default=1, nullable=False)
    # The breaker (aflevering/breaker.py): attempts in a row not delivered, and while it is
    # open the moment of the next probe. Written only by the deliverer, under the row's lock.
    fouten_op_rij: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    onderbroken_tot: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    aangemaakt_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    gewijzigd_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
