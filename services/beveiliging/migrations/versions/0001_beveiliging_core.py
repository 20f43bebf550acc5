"""beveiliging core

Revision ID: 0001
Revises:
Create Date: 2026-11-28 20:26:04.741480
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "intakegesprek",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisatie", sa.String(length=16), nullable=False),
        sa.Column("betreft", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("gepland", sa.DateTime(timezone=True), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intakegesprek")),
        schema="beveiliging",
    )
    with op.batch_alter_table("intakegesprek", schema="beveiliging") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_intakegesprek_organisatie"), ["organisatie"], unique=False
        )

    op.create_table(
        "maatregel",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("categorie", sa.String(length=32), nullable=False),
        sa.Column("omschrijving", sa.String(length=2000), nullable=False),
        sa.Column("actief", sa.Boolean(), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ingetrokken_op", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_maatregel")),
        schema="beveiliging",
    )
    op.create_table(
        "risicoanalyse",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisatie", sa.String(length=16), nullable=False),
        sa.Column("aanvrager", sa.String(length=255), nullable=False),
        sa.Column("betreft", sa.String(length=255), nullable=False),
        sa.Column("vragenlijst_versie", sa.Integer(), nullable=False),
        sa.Column("antwoorden_versleuteld", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("niveau", sa.String(length=16), nullable=False),
        sa.Column("aanbevolen_maatregelen", sa.JSON(), nullable=False),
        sa.Column("melding_id", sa.Uuid(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risicoanalyse")),
        schema="beveiliging",
    )
    with op.batch_alter_table("risicoanalyse", schema="beveiliging") as batch_op:
        batch_op.create_index(batch_op.f("ix_risicoanalyse_aanvrager"), ["aanvrager"], unique=False)
        batch_op.create_index(batch_op.f("ix_risicoanalyse_betreft"), ["betreft"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_risicoanalyse_organisatie"), ["organisatie"], unique=False
        )

    op.create_table(
        "woningscan",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisatie", sa.String(length=16), nullable=False),
        sa.Column("aanvrager", sa.String(length=255), nullable=False),
        sa.Column("betreft", sa.String(length=255), nullable=False),
        sa.Column("adres_versleuteld", sa.Text(), nullable=True),
        sa.Column("reden_versleuteld", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("adviseur", sa.String(length=255), nullable=True),
        sa.Column("gepland", sa.DateTime(timezone=True), nullable=True),
        sa.Column("advies", sa.JSON(), nullable=True),
        sa.Column("melding_id", sa.Uuid(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_woningscan")),
        schema="beveiliging",
    )
    with op.batch_alter_table("woningscan", schema="beveiliging") as batch_op:
        batch_op.create_index(batch_op.f("ix_woningscan_aanvrager"), ["aanvrager"], unique=False)
        batch_op.create_index(batch_op.f("ix_woningscan_betreft"), ["betreft"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_woningscan_organisatie"), ["organisatie"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_woningscan_status"), ["status"], unique=False)

    op.create_table(
        "veiligheidspakket",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("burgemeester", sa.String(length=255), nullable=False),
        sa.Column("gemeente", sa.String(length=16), nullable=False),
        sa.Column("startdatum", sa.Date(), nullable=False),
        sa.Column("intakegesprek_id", sa.Uuid(), nullable=False),
        sa.Column("woningscan_id", sa.Uuid(), nullable=False),
        sa.Column("aangemaakt_door", sa.String(length=255), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["intakegesprek_id"],
            ["beveiliging.intakegesprek.id"],
            name=op.f("fk_veiligheidspakket_intakegesprek_id_intakegesprek"),
        ),
        sa.ForeignKeyConstraint(
            ["woningscan_id"],
            ["beveiliging.woningscan.id"],
            name=op.f("fk_veiligheidspakket_woningscan_id_woningscan"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_veiligheidspakket")),
        sa.UniqueConstraint(
            "burgemeester", "gemeente", name=op.f("uq_veiligheidspakket_burgemeester_gemeente")
        ),
        schema="beveiliging",
    )
    with op.batch_alter_table("veiligheidspakket", schema="beveiliging") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_veiligheidspakket_gemeente"), ["gemeente"], unique=False
        )

    op.create_table(
        "woningscan_statuswijziging",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("woningscan_id", sa.Uuid(), nullable=False),
        sa.Column("van", sa.String(length=32), nullable=True),
        sa.Column("naar", sa.String(length=32), nullable=False),
        sa.Column("door", sa.String(length=255), nullable=False),
        sa.Column("toelichting", sa.String(length=2000), nullable=True),
        sa.Column("tijdstip", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["woningscan_id"],
            ["beveiliging.woningscan.id"],
            name=op.f("fk_woningscan_statuswijziging_woningscan_id_woningscan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_woningscan_statuswijziging")),
        schema="beveiliging",
    )
    with op.batch_alter_table("woningscan_statuswijziging", schema="beveiliging") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_woningscan_statuswijziging_woningscan_id"),
            ["woningscan_id"],
            unique=False,
        )

    op.create_table(
        "beveiligingsmaatregel",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisatie", sa.String(length=16), nullable=False),
        sa.Column("betreft", sa.String(length=255), nullable=False),
        sa.Column("maatregel", sa.String(length=64), nullable=False),
        sa.Column("woningscan_id", sa.Uuid(), nullable=True),
        sa.Column("veiligheidspakket_id", sa.Uuid(), nullable=True),
        sa.Column("kosten_centen", sa.BigInteger(), nullable=False),
        sa.Column("financier", sa.String(length=16), nullable=False),
        sa.Column("einddatum", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("aangemaakt_door", sa.String(length=255), nullable=False),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["maatregel"],
            ["beveiliging.maatregel.code"],
            name=op.f("fk_beveiligingsmaatregel_maatregel_maatregel"),
        ),
        sa.ForeignKeyConstraint(
            ["veiligheidspakket_id"],
            ["beveiliging.veiligheidspakket.id"],
            name=op.f("fk_beveiligingsmaatregel_veiligheidspakket_id_veiligheidspakket"),
        ),
        sa.ForeignKeyConstraint(
            ["woningscan_id"],
            ["beveiliging.woningscan.id"],
            name=op.f("fk_beveiligingsmaatregel_woningscan_id_woningscan"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beveiligingsmaatregel")),
        schema="beveiliging",
    )
    with op.batch_alter_table("beveiligingsmaatregel", schema="beveiliging") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_beveiligingsmaatregel_betreft"), ["betreft"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_beveiligingsmaatregel_einddatum"), ["einddatum"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_beveiligingsmaatregel_organisatie"), ["organisatie"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_beveiligingsmaatregel_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_beveiligingsmaatregel_veiligheidspakket_id"),
            ["veiligheidspakket_id"],
            unique=False,
        )


def downgrade() -> None:

    with op.batch_alter_table("beveiligingsmaatregel", schema="beveiliging") as batch_op:
        batch_op.drop_index(batch_op.f("ix_beveiligingsmaatregel_veiligheidspakket_id"))
        batch_op.drop_index(batch_op.f("ix_beveiligingsmaatregel_status"))
        batch_op.drop_index(batch_op.f("ix_beveiligingsmaatregel_organisatie"))
        batch_op.drop_index(batch_op.f("ix_beveiligingsmaatregel_einddatum"))
        batch_op.drop_index(batch_op.f("ix_beveiligingsmaatregel_betreft"))

    op.drop_table("beveiligingsmaatregel", schema="beveiliging")
    with op.batch_alter_table("woningscan_statuswijziging", schema="beveiliging") as batch_op:
        batch_op.drop_index(batch_op.f("ix_woningscan_statuswijziging_woningscan_id"))

    op.drop_table("woningscan_statuswijziging", schema="beveiliging")
    with op.batch_alter_table("veiligheidspakket", schema="beveiliging") as batch_op:
        batch_op.drop_index(batch_op.f("ix_veiligheidspakket_gemeente"))

    op.drop_table("veiligheidspakket", schema="beveiliging")
    with op.batch_alter_table("woningscan", schema="beveiliging") as batch_op:
        batch_op.drop_index(batch_op.f("ix_woningscan_status"))
        batch_op.drop_index(batch_op.f("ix_woningscan_organisatie"))
        batch_op.drop_index(batch_op.f("ix_woningscan_betreft"))
        batch_op.drop_index(batch_op.f("ix_woningscan_aanvrager"))

    op.drop_table("woningscan", schema="beveiliging")
    with op.batch_alter_table("risicoanalyse", schema="beveiliging") as batch_op:
        batch_op.drop_index(batch_op.f("ix_risicoanalyse_organisatie"))
        batch_op.drop_index(batch_op.f("ix_risicoanalyse_betreft"))
        batch_op.drop_index(batch_op.f("ix_risicoanalyse_aanvrager"))

    op.drop_table("risicoanalyse", schema="beveiliging")
    op.drop_table("maatregel", schema="beveiliging")
    with op.batch_alter_table("intakegesprek", schema="beveiliging") as batch_op:
        batch_op.drop_index(batch_op.f("ix_intakegesprek_organisatie"))

    op.drop_table("intakegesprek", schema="beveiliging")
