"""abonnement: the breaker's state (failed attempts in a row, no delivery before)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 19:30:00.000000

A receiver that keeps failing is probed once per interval instead of being tried for every
event (services/notificaties/aflevering/breaker.py). Additive: a deliverer of the previous
release ignores both columns.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "notificaties"


def upgrade() -> None:
    with op.batch_alter_table("abonnement", schema=SCHEMA) as batch:
        batch.add_column(
            sa.Column("fouten_op_rij", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("onderbroken_tot", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("abonnement", schema=SCHEMA) as batch:
        batch.drop_column("onderbroken_tot")
        batch.drop_column("fouten_op_rij")
