"""bijlagen: evidence attachments and their encrypted content segments

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 10:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bijlage",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("melding_id", sa.Uuid(), nullable=False),
        sa.Column("bestandsnaam_versleuteld", sa.Text(), nullable=True),
        sa.Column("oorspronkelijke_naam_versleuteld", sa.Text(), nullable=True),
        sa.Column("mediatype", sa.String(length=40), nullable=False),
        sa.Column("grootte", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("scanstatus", sa.String(length=20), nullable=False),
        sa.Column("virusnaam", sa.String(length=200), nullable=True),
        sa.Column("omschrijving_versleuteld", sa.Text(), nullable=True),
        sa.Column("zichtbaar_voor_melder", sa.Boolean(), nullable=False),
        sa.Column("sleutel", sa.String(length=64), nullable=True),
        sa.Column("delen", sa.Integer(), nullable=False),
        sa.Column("toegevoegd_door", sa.String(length=255), nullable=True),
        sa.Column("rol", sa.String(length=30), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gescand_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("inhoud_gewist_op", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["melding_id"], ["meldingen.melding.id"], name=op.f("fk_bijlage_melding_id_melding")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bijlage")),
        schema="meldingen",
    )
    with op.batch_alter_table("bijlage", schema="meldingen") as batch_op:
        batch_op.create_index(
            "ix_bijlage_melding_id_aangemaakt_op", ["melding_id", "aangemaakt_op"], unique=False
        )
        batch_op.create_index("ix_bijlage_scanstatus", ["scanstatus"], unique=False)

    op.create_table(
        "bijlage_deel",
        sa.Column("bijlage_id", sa.Uuid(), nullable=False),
        sa.Column("volgnummer", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bijlage_id"],
            ["meldingen.bijlage.id"],
            name=op.f("fk_bijlage_deel_bijlage_id_bijlage"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("bijlage_id", "volgnummer", name=op.f("pk_bijlage_deel")),
        schema="meldingen",
    )


def downgrade() -> None:
    op.drop_table("bijlage_deel", schema="meldingen")
    with op.batch_alter_table("bijlage", schema="meldingen") as batch_op:
        batch_op.drop_index("ix_bijlage_scanstatus")
        batch_op.drop_index("ix_bijlage_melding_id_aangemaakt_op")
    op.drop_table("bijlage", schema="meldingen")
