"""Table classes of the aflevering subdomain: deliveries and their attempts."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, UniqueConstraint
from sqlmodel import Field

from services.common.types import UtcDateTime
from services.notificaties.db import NotificatiesTable


class Aflevering(NotificatiesTable, table=True):
    """One event for one subscription: scheduled from here, never from stream redelivery."""

    __tablename__ = "aflevering"
    __table_args__ = (
        UniqueConstraint("abonnement_id", "gebeurtenis_id"),
        Index("ix_aflevering_status_volgende_poging_op", "status", "volgende_poging_op"),
        Index(
            "ix_aflevering_abonnement_id_status_volgnummer", "abonnement_id", "status", "volgnummer"
        ),
    )

    id: uuid.UUID = Field(primary_key=True)
    abonnement_id: uuid.UUID = Field(
        sa_column=Column(
            ForeignKey("notificaties.abonnement.id", ondelete="CASCADE"), nullable=False
        )
    )
    gebeurtenis_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("notificaties.gebeurtenis.id"), nullable=False)
    )
    volgnummer: int = Field(sa_column=Column(BigInteger, nullable=False))
    type: str = Field(sa_column=Column(String(200), nullable=False))
    status: str = Field(sa_column=Column(String(20), nullable=False))
    pogingen: int = Field(default=0, nullable=False)
    # A replay starts a new series of retries after this many attempts.
    reeks_vanaf: int = Field(default=0, nullable=False)
    volgende_poging_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    # A process that takes the delivery holds it until then; a dead one's claim runs out.
    geclaimd_tot: datetime | None = Field(default=None, sa_column=Column(UtcDateTime))
    aangemaakt_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))


class Poging(NotificatiesTable, table=True):
    """Every attempt, as the delivery log shows it; rows are only ever added."""

    __tablename__ = "poging"
    __table_args__ = (Index("ix_poging_abonnement_id_tijdstip", "abonnement_id", "tijdstip"),)

    id: uuid.UUID = Field(primary_key=True)
    aflevering_id: uuid.UUID = Field(
        sa_column=Column(
            ForeignKey("notificaties.aflevering.id", ondelete="CASCADE"), nullable=False
        )
    )
    abonnement_id: uuid.UUID = Field(
        sa_column=Column(
            ForeignKey("notificaties.abonnement.id", ondelete="CASCADE"), nullable=False
        )
    )
    gebeurtenis_id: uuid.UUID = Field(nullable=False)
    type: str = Field(sa_column=Column(String(200), nullable=False))
    poging: int = Field(nullable=False)
    tijdstip: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
    status: str = Field(sa_column=Column(String(20), nullable=False))
    http_status: int | None = Field(default=None)
    duur_ms: int | None = Field(default=None)
    fout: str | None = Field(default=None, sa_column=Column(String(40)))
