"""idempotent_verzoek.status_code no longer written: nullable, to be dropped later

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 17:00:00.000000

The column held the HTTP status of the original answer, written by the service layer (which
knows nothing of HTTP) and read by nobody: a replay answers as the route says. This release
stops writing it. Expand, then contract: the column only becomes nullable here, so a pod of
the previous release that still inserts it keeps working during a rolling update; a later
migration drops it once no running release writes it (docs/FOLLOW-UPS.md).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "meldingen"


def upgrade() -> None:
    with op.batch_alter_table("idempotent_verzoek", schema=SCHEMA) as batch:
        batch.alter_column("status_code", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # Rows written by this release have no status; every replay was a 201 (a create).
    record = sa.table("idempotent_verzoek", sa.column("status_code"), schema=SCHEMA)
    op.execute(record.update().where(record.c.status_code.is_(None)).values(status_code=201))
    with op.batch_alter_table("idempotent_verzoek", schema=SCHEMA) as batch:
        batch.alter_column("status_code", existing_type=sa.Integer(), nullable=False)
