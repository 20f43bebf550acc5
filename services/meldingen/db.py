"""The meldingen schema, the base its table classes share, and its AAD scheme."""

from __future__ import annotations

from sqlalchemy.orm import registry
from sqlmodel import SQLModel

from services.common.aad import AadFormat, AadScheme
from services.common.db import service_metadata

SCHEMA = "meldingen"
metadata = service_metadata(SCHEMA)
# the strings sealed into stored values: <service>:<table>:<key>:<column> (byte for byte)
AAD = AadScheme(SCHEMA, AadFormat.KEY_THEN_COLUMN)


class MeldingenTable(SQLModel, registry=registry(metadata=metadata)):
    """Base of every table class of this service (its own MetaData, its own schema)."""
