"""Alembic environment of the meldingen service: the shared helper does the work."""

import services.meldingen.models  # noqa: F401  (registers every table)
from services.common.migrations import run_migrations
from services.meldingen.db import SCHEMA, metadata

run_migrations(schema=SCHEMA, metadata=metadata)
