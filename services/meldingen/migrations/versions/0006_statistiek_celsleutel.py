"""statistiek: record keys for the cell-key method and the monthly rollups

Every existing melding gets a random record key (0-255, from `secrets`). The rollups start
empty: `python -m services.meldingen migrate` rebuilds them after upgrading (so does
`statistiek-herbouw`), from the code's current rollup definitions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:05:00.000000
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_melding = sa.table("melding", sa.column("id", sa.Uuid()), schema="meldingen")
_sleutel = sa.table(
    "statistiek_sleutel",
    sa.column("melding_id", sa.Uuid()),
    sa.column("sleutel", sa.SmallInteger()),
    schema="meldingen",
)


def upgrade() -> None:
    op.create_table(
        "statistiek_cel",
        sa.Column("groepering", sa.String(length=60), nullable=False),
        sa.Column("organisatie", sa.String(length=10), nullable=False),
        sa.Column("maand", sa.String(length=7), nullable=False),
        sa.Column("zicht", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("gedragstype", sa.String(length=40), nullable=False),
        sa.Column("vorm", sa.String(length=30), nullable=False),
        sa.Column("functie", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("prioriteit", sa.String(length=10), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.Column("sleutelsom", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "groepering",
            "organisatie",
            "maand",
            "zicht",
            "gedragstype",
            "vorm",
            "functie",
            "status",
            "prioriteit",
            name=op.f("pk_statistiek_cel"),
        ),
        schema="meldingen",
    )
    op.create_table(
        "statistiek_sleutel",
        sa.Column("melding_id", sa.Uuid(), nullable=False),
        sa.Column("sleutel", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["melding_id"],
            ["meldingen.melding.id"],
            name=op.f("fk_statistiek_sleutel_melding_id_melding"),
        ),
        sa.PrimaryKeyConstraint("melding_id", name=op.f("pk_statistiek_sleutel")),
        schema="meldingen",
    )
    _backfill()


def _backfill() -> None:
    """A key for every existing melding, in batches (Python's `secrets`, as at creation)."""
    bind = op.get_bind()
    ids = bind.execute(sa.select(_melding.c.id)).scalars().all()
    for start in range(0, len(ids), 5000):
        bind.execute(
            sa.insert(_sleutel),
            [
                {"melding_id": i, "sleutel": secrets.randbelow(256)}
                for i in ids[start : start + 5000]
            ],
        )


def downgrade() -> None:
    op.drop_table("statistiek_sleutel", schema="meldingen")
    op.drop_table("statistiek_cel", schema="meldingen")
