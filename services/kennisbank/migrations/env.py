"""Alembic environment of the kennisbank service: the shared helper does the work."""

import services.kennisbank.models  # noqa: F401  (registers every table)
from services.common.migrations import run_migrations
from services.kennisbank.db import SCHEMA, metadata

run_migrations(schema=SCHEMA, metadata=metadata)
