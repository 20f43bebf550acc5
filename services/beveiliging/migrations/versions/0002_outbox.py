"""outbox: uitgaande_gebeurtenis, the events written in each change's transaction

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "beveiliging"


def upgrade() -> None:
    op.create_table(
        "uitgaande_gebeurtenis",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("reach", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_uitgaande_gebeurtenis")),
        sa.UniqueConstraint("event_id", name=op.f("uq_uitgaande_gebeurtenis_event_id")),
        schema=SCHEMA,
    )
    with op.batch_alter_table("uitgaande_gebeurtenis", schema=SCHEMA) as batch_op:
        batch_op.create_index(
            "ix_uitgaande_gebeurtenis_published_at_seq", ["published_at", "seq"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("uitgaande_gebeurtenis", schema=SCHEMA) as batch_op:
        batch_op.drop_index("ix_uitgaande_gebeurtenis_published_at_seq")
    op.drop_table("uitgaande_gebeurtenis", schema=SCHEMA)
