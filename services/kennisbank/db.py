"""The kennisbank schema and the base its table classes share."""

from __future__ import annotations

from sqlalchemy.orm import registry
from sqlmodel import SQLModel

from services.common.db import service_metadata

SCHEMA = "kennisbank"
metadata = service_metadata(SCHEMA)


class KennisbankTable(SQLModel, registry=registry(metadata=metadata)):
    """Base of every table class of this service (its own MetaData, its own schema)."""
