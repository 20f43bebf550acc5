"""zoekbits: each stem's matching articles stored as a bitset, in blocks

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 13:40:00

A stem no process has cached yet used to cost a read of all its postings (at 20,000
articles a common stem has thousands) to build its bitset for count and facets; the
stored blocks make that a read of a few kilobytes. Existing postings are folded into
blocks here, with the block size of this revision (8192 articles, 1 kB) frozen on
purpose: the reading code takes the block number from the row, and changing the size
later means rebuilding the table, not editing this file.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BLOKBITS = 8192
_REEKS = 500


def _invullen() -> None:
    term = sa.table(
        "zoekterm",
        sa.column("stam", sa.String()),
        sa.column("artikel_id", sa.Uuid()),
        schema="kennisbank",
    )
    document = sa.table(
        "zoekdocument",
        sa.column("artikel_id", sa.Uuid()),
        sa.column("nummer", sa.Integer()),
        schema="kennisbank",
    )
    bits = sa.table(
        "zoekbits",
        sa.column("stam", sa.String()),
        sa.column("blok", sa.Integer()),
        sa.column("bits", sa.LargeBinary()),
        schema="kennisbank",
    )
    verbinding = op.get_bind()
    blokken: dict[tuple[str, int], bytearray] = {}
    rijen = verbinding.execute(
        sa.select(term.c.stam, document.c.nummer).join(
            document, document.c.artikel_id == term.c.artikel_id
        )
    )
    for stam, nummer in rijen:
        blok, positie = divmod(int(nummer), _BLOKBITS)
        ruimte = blokken.setdefault((stam, blok), bytearray())
        if len(ruimte) <= positie >> 3:
            ruimte.extend(bytes((positie >> 3) + 1 - len(ruimte)))
        ruimte[positie >> 3] |= 1 << (positie & 7)
    waarden = [
        {"stam": stam, "blok": blok, "bits": bytes(ruimte)}
        for (stam, blok), ruimte in sorted(blokken.items())
    ]
    for begin in range(0, len(waarden), _REEKS):
        verbinding.execute(bits.insert(), waarden[begin : begin + _REEKS])


def upgrade() -> None:
    op.create_table(
        "zoekbits",
        sa.Column("stam", sa.String(length=64), nullable=False),
        sa.Column("blok", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("bits", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("stam", "blok", name=op.f("pk_zoekbits")),
        schema="kennisbank",
    )
    _invullen()


def downgrade() -> None:
    op.drop_table("zoekbits", schema="kennisbank")
