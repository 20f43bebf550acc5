"""artikel: the sanitised HTML, rendered when an article is written

Reads used to render Markdown on every request; now the HTML is stored beside the Markdown.
Existing articles are rendered here, once, with the service's own renderer.

Revision ID: 0002_artikel_html
Revises: 0001
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.kennisbank.artikel.rendering import naar_html

revision: str = "0002_artikel_html"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ARTIKEL = sa.table(
    "artikel",
    sa.column("id", sa.Uuid()),
    sa.column("inhoud", sa.Text()),
    sa.column("inhoud_html", sa.Text()),
    schema="kennisbank",
)


def upgrade() -> None:
    with op.batch_alter_table("artikel", schema="kennisbank") as batch_op:
        batch_op.add_column(sa.Column("inhoud_html", sa.Text(), nullable=True))
    bind = op.get_bind()
    for artikel_id, inhoud in bind.execute(sa.select(_ARTIKEL.c.id, _ARTIKEL.c.inhoud)).all():
        bind.execute(
            _ARTIKEL.update()
            .where(_ARTIKEL.c.id == artikel_id)
            .values(inhoud_html=naar_html(inhoud))
        )
    with op.batch_alter_table("artikel", schema="kennisbank") as batch_op:
        batch_op.alter_column("inhoud_html", existing_type=sa.Text(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("artikel", schema="kennisbank") as batch_op:
        batch_op.drop_column("inhoud_html")
