"""zoekindex: impact per posting (read per stem best-first), a number per document

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00

Existing documents get a dense number (their bit in the per-process bitsets behind
count and facets), in id order. Existing postings get their impact computed in SQL
from what the index already holds (term frequencies per field, field lengths): the
same formula and numbers as ``search.rangschikking.impact`` at this revision, frozen
here on purpose so the migration does not change when the ranking code does
(changing those numbers later means reindexing, not editing this file).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TREDE = {"titel": 2.0, "samenvatting": 1.0}
_GEWICHT = {"titel": 5.0, "samenvatting": 2.5, "inhoud": 1.0}
_B = {"titel": 0.3, "samenvatting": 0.5, "inhoud": 0.75}
_REFERENTIE = {"titel": 6.0, "samenvatting": 20.0, "inhoud": 200.0}
_K1 = 1.2
_VOLGORDE_AANDEEL = 1e-13


def _impact_invullen() -> None:
    term = sa.table(
        "zoekterm",
        sa.column("artikel_id", sa.Uuid()),
        sa.column("tf_titel", sa.Integer()),
        sa.column("tf_samenvatting", sa.Integer()),
        sa.column("tf_inhoud", sa.Integer()),
        sa.column("impact", sa.Float()),
        schema="kennisbank",
    )
    document = sa.table(
        "zoekdocument",
        sa.column("artikel_id", sa.Uuid()),
        sa.column("lengte_titel", sa.Integer()),
        sa.column("lengte_samenvatting", sa.Integer()),
        sa.column("lengte_inhoud", sa.Integer()),
        sa.column("nummer", sa.Integer()),
        schema="kennisbank",
    )
    nummer = (
        sa.select(document.c.nummer)
        .where(document.c.artikel_id == term.c.artikel_id)
        .scalar_subquery()
    )
    gewogen: sa.ColumnElement[float] = sa.literal(0.0, sa.Float())
    for veld in ("titel", "samenvatting", "inhoud"):
        lengte = (
            sa.select(document.c[f"lengte_{veld}"])
            .where(document.c.artikel_id == term.c.artikel_id)
            .scalar_subquery()
        )
        norm = 1.0 - _B[veld] + _B[veld] * sa.cast(lengte, sa.Float()) / _REFERENTIE[veld]
        gewogen = gewogen + _GEWICHT[veld] * sa.cast(term.c[f"tf_{veld}"], sa.Float()) / norm
    trede = sa.case(
        (term.c.tf_titel > 0, _TREDE["titel"]),
        (term.c.tf_samenvatting > 0, _TREDE["samenvatting"]),
        else_=0.0,
    )
    volgorde = sa.cast(nummer, sa.Float()) * _VOLGORDE_AANDEEL
    op.execute(term.update().values(impact=trede + gewogen / (_K1 + gewogen) + volgorde))


def _nummers_invullen() -> None:
    document = sa.table(
        "zoekdocument",
        sa.column("artikel_id", sa.Uuid()),
        sa.column("nummer", sa.Integer()),
        schema="kennisbank",
    )
    verbinding = op.get_bind()
    ids = verbinding.scalars(sa.select(document.c.artikel_id).order_by(document.c.artikel_id))
    rijen = [{"id_": artikel_id, "nummer_": n} for n, artikel_id in enumerate(ids, start=1)]
    if rijen:
        verbinding.execute(
            document.update()
            .where(document.c.artikel_id == sa.bindparam("id_"))
            .values(nummer=sa.bindparam("nummer_")),
            rijen,
        )


def upgrade() -> None:
    with op.batch_alter_table("zoekdocument", schema="kennisbank") as batch_op:
        batch_op.add_column(sa.Column("nummer", sa.Integer(), nullable=True))
    _nummers_invullen()
    with op.batch_alter_table("zoekdocument", schema="kennisbank") as batch_op:
        batch_op.alter_column("nummer", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_zoekdocument_nummer"), ["nummer"])
        batch_op.create_index(
            "ix_zoekdocument_artikel_id_nummer", ["artikel_id", "nummer"], unique=False
        )
    with op.batch_alter_table("zoekterm", schema="kennisbank") as batch_op:
        batch_op.add_column(sa.Column("impact", sa.Float(), nullable=True))
    _impact_invullen()
    with op.batch_alter_table("zoekterm", schema="kennisbank") as batch_op:
        batch_op.alter_column("impact", existing_type=sa.Float(), nullable=False)
        batch_op.create_index(
            "ix_zoekterm_stam_impact", ["stam", "impact", "artikel_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("zoekterm", schema="kennisbank") as batch_op:
        batch_op.drop_index("ix_zoekterm_stam_impact")
        batch_op.drop_column("impact")
    with op.batch_alter_table("zoekdocument", schema="kennisbank") as batch_op:
        batch_op.drop_index("ix_zoekdocument_artikel_id_nummer")
        batch_op.drop_constraint(batch_op.f("uq_zoekdocument_nummer"), type_="unique")
        batch_op.drop_column("nummer")
