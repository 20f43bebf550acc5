"""Alembic environment of the notificaties service: the shared helper does the work."""

import services.notificaties.models  # noqa: F401  (registers every table)
from services.common.migrations import run_migrations
from services.notificaties.db import SCHEMA, metadata

run_migrations(schema=SCHEMA, metadata=metadata)
