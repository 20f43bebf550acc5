"""The notificaties schema and the base its table classes share."""

from __future__ import annotations

from sqlalchemy.orm import registry
from sqlmodel import SQLModel

from services.common.db import service_metadata

SCHEMA = "notificaties"
metadata = service_metadata(SCHEMA)


class NotificatiesTable(SQLModel, registry=registry(metadata=metadata)):
    """Base of every table class of this service (its own MetaData, its own schema)."""
