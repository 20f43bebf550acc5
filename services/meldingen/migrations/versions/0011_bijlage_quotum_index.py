"""bijlage: index on (toegevoegd_door, aangemaakt_op) for the daily upload allowance

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 20:00:00.000000

Every upload sums the bytes its subject added in the last 24 hours
(WEERBAAR_BIJLAGEN_MIB_PER_DAG); without the index that is a scan of every attachment.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "meldingen"
INDEX = "ix_bijlage_toegevoegd_door_aangemaakt_op"


def upgrade() -> None:
    with op.batch_alter_table("bijlage", schema=SCHEMA) as batch:
        batch.create_index(INDEX, ["toegevoegd_door", "aangemaakt_op"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bijlage", schema=SCHEMA) as batch:
        batch.drop_index(INDEX)
