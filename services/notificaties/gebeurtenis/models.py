"""Table classes of the gebeurtenis subdomain: every event taken from the stream."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Column, String, Text
from sqlmodel import Field

from services.common.types import UtcDateTime
from services.notificaties.db import NotificatiesTable


class Gebeurtenis(NotificatiesTable, table=True):
    """One CloudEvent, stored before the stream message is acked; its id dedupes."""

    __tablename__ = "gebeurtenis"

    id: uuid.UUID = Field(primary_key=True)
    # Arrival order: deliveries of one subscription go out in this order.
    volgnummer: int = Field(sa_column=Column(BigInteger, nullable=False, unique=True))
    type: str = Field(sa_column=Column(String(200), nullable=False))
    # The envelope as published, delivered byte for byte.
    envelope: str = Field(sa_column=Column(Text, nullable=False))
    # The reach attributes (Weerbaar-Bereik), encrypted: they name people.
    bereik: str = Field(sa_column=Column(Text, nullable=False))
    ontvangen_op: datetime = Field(sa_column=Column(UtcDateTime, nullable=False))
