"""Alembic environment of the beveiliging service: the shared helper does the work."""

import services.beveiliging.models  # noqa: F401  (registers every table)
from services.beveiliging.db import SCHEMA, metadata
from services.common.migrations import run_migrations

run_migrations(schema=SCHEMA, metadata=metadata)
