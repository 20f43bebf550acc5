"""termijnen: reactie_uiterlijk, opgepakt_op and the escalation markers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 13:30:00.000000

Backfill, in Python and in batches (the same on SQLite and PostgreSQL):

- `reactie_uiterlijk` from `aangemaakt_op` and `prioriteit` with the termijnen of
  WEERBAAR_REACTIETERMIJNEN (the defaults when unset), exactly as a create computes it now;
- `opgepakt_op` for meldingen a handler already picked up (out of `ontvangen`, or assigned):
  the earliest recorded moment of such a pickup — the first handler status change away from
  `ontvangen` (statuswijziging) or the first assignment in the access log (inzage `toegewezen`).
  When neither was recorded, `gewijzigd_op`: the last change, so a moment the pickup surely
  preceded (never later than the truth would be unknowable). A melding the melder withdrew
  while `ontvangen` was never picked up and keeps null.
- The markers start null: a melding that is overdue and still waiting for a handler when this
  runs gets its `melding-termijn-verstreken` once at the scheduler's first run — it is overdue.
"""

import os
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from services.meldingen.termijn.service import (
    DEFAULT_REACTIETERMIJNEN,
    parse_reactietermijnen,
    reactie_uiterlijk,
)

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCHEMA = "meldingen"
BATCH = 1000
TERMIJN_OPEN = "opgepakt_op IS NULL AND termijn_gemeld_op IS NULL AND status = 'ontvangen'"
VERLOPEN_OPEN = "uitgevoerd = false AND verlopen_gemeld_op IS NULL"

melding = sa.table(
    "melding",
    sa.column("id", sa.Uuid()),
    sa.column("status", sa.String()),
    sa.column("prioriteit", sa.String()),
    sa.column("behandelaar", sa.String()),
    sa.column("aangemaakt_op", sa.DateTime(timezone=True)),
    sa.column("gewijzigd_op", sa.DateTime(timezone=True)),
    sa.column("reactie_uiterlijk", sa.DateTime(timezone=True)),
    sa.column("opgepakt_op", sa.DateTime(timezone=True)),
    schema=SCHEMA,
)
statuswijziging = sa.table(
    "statuswijziging",
    sa.column("melding_id", sa.Uuid()),
    sa.column("van", sa.String()),
    sa.column("rol", sa.String()),
    sa.column("tijdstip", sa.DateTime(timezone=True)),
    schema=SCHEMA,
)
inzage = sa.table(
    "inzage",
    sa.column("melding_id", sa.Uuid()),
    sa.column("actie", sa.String()),
    sa.column("tijdstip", sa.DateTime(timezone=True)),
    schema=SCHEMA,
)


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes; every stored time is UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _backfill() -> None:
    termijnen = parse_reactietermijnen(
        os.environ.get("WEERBAAR_REACTIETERMIJNEN", DEFAULT_REACTIETERMIJNEN)
    )
    connection = op.get_bind()
    first_move = (
        sa.select(sa.func.min(statuswijziging.c.tijdstip))
        .where(
            statuswijziging.c.melding_id == melding.c.id,
            statuswijziging.c.van == "ontvangen",
            statuswijziging.c.rol == "behandelaar",
        )
        .scalar_subquery()
    )
    first_assignment = (
        sa.select(sa.func.min(inzage.c.tijdstip))
        .where(inzage.c.melding_id == melding.c.id, inzage.c.actie == "toegewezen")
        .scalar_subquery()
    )
    last_id = None
    while True:
        query = (
            sa.select(
                melding.c.id,
                melding.c.status,
                melding.c.prioriteit,
                melding.c.behandelaar,
                melding.c.aangemaakt_op,
                melding.c.gewijzigd_op,
                first_move.label("first_move"),
                first_assignment.label("first_assignment"),
            )
            .order_by(melding.c.id)
            .limit(BATCH)
        )
        if last_id is not None:
            query = query.where(melding.c.id > last_id)
        rows = connection.execute(query).all()
        if not rows:
            return
        values = []
        for row in rows:
            uiterlijk = reactie_uiterlijk(_aware(row.aangemaakt_op), row.prioriteit, termijnen)
            known = [_aware(m) for m in (row.first_move, row.first_assignment) if m is not None]
            opgepakt = None
            if known:
                opgepakt = min(known)
            elif row.behandelaar is not None or row.status not in ("ontvangen", "ingetrokken"):
                opgepakt = _aware(row.gewijzigd_op)
            values.append({"b_id": row.id, "b_uiterlijk": uiterlijk, "b_opgepakt": opgepakt})
        connection.execute(
            sa.update(melding)
            .where(melding.c.id == sa.bindparam("b_id"))
            .values(
                reactie_uiterlijk=sa.bindparam("b_uiterlijk"),
                opgepakt_op=sa.bindparam("b_opgepakt"),
            ),
            values,
        )
        last_id = rows[-1].id


def upgrade() -> None:
    # Plain ADD COLUMN on both: on SQLite a batch rebuild would drop a table that attachments,
    # notes, status changes and the log refer to (see 0005). SQLite needs a default for a NOT
    # NULL column it adds; every row gets its real value below, and creates always set one.
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column(
        "melding",
        sa.Column(
            "reactie_uiterlijk",
            sa.DateTime(timezone=True),
            nullable=not sqlite,
            server_default=sa.text("'1970-01-01 00:00:00.000000'") if sqlite else None,
        ),
        schema=SCHEMA,
    )
    op.add_column("melding", sa.Column("opgepakt_op", sa.DateTime(timezone=True)), schema=SCHEMA)
    op.add_column(
        "melding", sa.Column("termijn_gemeld_op", sa.DateTime(timezone=True)), schema=SCHEMA
    )
    op.add_column(
        "nazorgmoment", sa.Column("verlopen_gemeld_op", sa.DateTime(timezone=True)), schema=SCHEMA
    )
    _backfill()
    if not sqlite:
        op.alter_column("melding", "reactie_uiterlijk", nullable=False, schema=SCHEMA)
    op.create_index(
        "ix_melding_termijn_open",
        "melding",
        ["reactie_uiterlijk"],
        unique=False,
        schema=SCHEMA,
        postgresql_where=sa.text(TERMIJN_OPEN),
        sqlite_where=sa.text(TERMIJN_OPEN),
    )
    op.create_index(
        "ix_nazorgmoment_verlopen_open",
        "nazorgmoment",
        ["gepland"],
        unique=False,
        schema=SCHEMA,
        postgresql_where=sa.text(VERLOPEN_OPEN),
        sqlite_where=sa.text(VERLOPEN_OPEN),
    )


def downgrade() -> None:
    # The partial indexes name the columns in their WHERE: they go first.
    op.drop_index("ix_nazorgmoment_verlopen_open", table_name="nazorgmoment", schema=SCHEMA)
    op.drop_index("ix_melding_termijn_open", table_name="melding", schema=SCHEMA)
    # Native DROP COLUMN on SQLite (3.35+), like 0005: no batch rebuild of referenced tables.
    columns = [("nazorgmoment", "verlopen_gemeld_op")] + [
        ("melding", column) for column in ("termijn_gemeld_op", "opgepakt_op", "reactie_uiterlijk")
    ]
    for table, column in columns:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f'ALTER TABLE "{SCHEMA}"."{table}" DROP COLUMN {column}')
        else:
            op.drop_column(table, column, schema=SCHEMA)
