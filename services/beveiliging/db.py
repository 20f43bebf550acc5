"""The beveiliging schema, the base its table classes share, and its AAD scheme."""

from __future__ import annotations

from sqlalchemy.orm import registry
from sqlmodel import SQLModel

from services.common.aad import AadFormat, AadScheme
from services.common.db import service_metadata

SCHEMA = "beveiliging"
metadata = service_metadata(SCHEMA)
# Associated data of the encrypted columns: `beveiliging.<table>.<column>:<row id>`, the
# format every stored value was sealed with (changing it would need a re-encryption).
AAD = AadScheme(SCHEMA, AadFormat.COLUMN_THEN_KEY)


class BeveiligingTable(SQLModel, registry=registry(metadata=metadata)):
    """Base of every table class of this service (its own MetaData, its own schema)."""
