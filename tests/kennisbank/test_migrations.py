"""Kennisbank migrations: 0002 renders the HTML of articles that exist, once, at upgrade.

Each run uses a database of its own (a new SQLite directory or PostgreSQL database), since it
goes down to an earlier revision.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from services.common.db import DatabaseTarget, create_engine_for, database_target
from services.common.migrations import alembic_config
from services.common.settings import ServiceSettings
from tests.conftest import Backend
from tests.support import postgres

ARTIKEL = sa.table(
    "artikel",
    sa.column("id", sa.Uuid()),
    sa.column("slug", sa.String()),
    sa.column("titel", sa.String()),
    sa.column("samenvatting", sa.Text()),
    sa.column("inhoud", sa.Text()),
    sa.column("type", sa.String()),
    sa.column("status", sa.String()),
    sa.column("versie", sa.Integer()),
    sa.column("aangemaakt_door", sa.String()),
    sa.column("gewijzigd_door", sa.String()),
    sa.column("aangemaakt_op", sa.DateTime(timezone=True)),
    sa.column("gewijzigd_op", sa.DateTime(timezone=True)),
    schema="kennisbank",
)


@pytest.fixture
def own_target(
    backend: Backend, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[DatabaseTarget]:
    if not backend.is_postgres:
        yield database_target(
            ServiceSettings(data_dir=tmp_path), service="kennisbank", schema="kennisbank"
        )
        return
    admin = request.getfixturevalue("postgres_admin_url")
    url = postgres.create_database(admin, prefix="wb_kb_migrations")
    try:
        settings = ServiceSettings(data_dir=tmp_path, database_url=url)
        yield database_target(settings, service="kennisbank", schema="kennisbank")
    finally:
        postgres.drop_database(admin, url)


async def _execute(target: DatabaseTarget, statement: sa.Executable) -> list[sa.Row[object]]:
    engine = create_engine_for(target, pool_size=1)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(statement)
            return list(result.all()) if result.returns_rows else []
    finally:
        await engine.dispose()


def test_upgrade_renders_existing_articles_and_goes_down_and_up(
    own_target: DatabaseTarget,
) -> None:
    config = alembic_config("kennisbank", own_target)
    command.upgrade(config, "0001")
    nu = datetime.now(UTC)
    artikel_id = uuid.uuid4()
    asyncio.run(
        _execute(
            own_target,
            ARTIKEL.insert().values(
                id=artikel_id,
                slug="bestaand",
                titel="Bestaand",
                samenvatting="Van voor de migratie.",
                inhoud="Doe **aangifte**. <script>alert(1)</script>",
                type="handreiking",
                status="gepubliceerd",
                versie=1,
                aangemaakt_door="r",
                gewijzigd_door="r",
                aangemaakt_op=nu,
                gewijzigd_op=nu,
            ),
        )
    )
    command.upgrade(config, "0002_artikel_html")
    html = sa.text("SELECT inhoud_html FROM kennisbank.artikel")
    [(stored,)] = asyncio.run(_execute(own_target, html))
    assert "<strong>aangifte</strong>" in stored
    assert "<script" not in stored
    command.upgrade(config, "head")
    command.check(config)
    command.downgrade(config, "0001")
    command.upgrade(config, "head")
    command.check(config)


def test_0005_folds_existing_postings_into_stored_bitsets(own_target: DatabaseTarget) -> None:
    config = alembic_config("kennisbank", own_target)
    command.upgrade(config, "0004")
    nu = datetime.now(UTC)
    ids = [uuid.uuid4(), uuid.uuid4()]
    document = sa.table(
        "zoekdocument",
        sa.column("artikel_id", sa.Uuid()),
        *(sa.column(n) for n in ("nummer", "lengte_titel")),
        *(sa.column(n) for n in ("lengte_samenvatting", "lengte_inhoud", "tekst", "woorden")),
        schema="kennisbank",
    )
    term = sa.table(
        "zoekterm",
        sa.column("artikel_id", sa.Uuid()),
        *(sa.column(n) for n in ("stam", "tf_titel", "tf_samenvatting")),
        *(sa.column(n) for n in ("tf_inhoud", "impact")),
        schema="kennisbank",
    )
    artikel = sa.table(
        "artikel",
        *(sa.column(c.name, c.type) for c in ARTIKEL.columns),
        sa.column("inhoud_html"),
        schema="kennisbank",
    )
    for artikel_id, nummer, stammen in ((ids[0], 3, ["brief", "dreig"]), (ids[1], 9000, ["dreig"])):
        rij = {"slug": f"a-{nummer}", "titel": "T", "samenvatting": "S", "inhoud": "I"}
        rij |= {"inhoud_html": "<p>I</p>"}
        rij |= {"type": "handreiking", "status": "gepubliceerd", "versie": 1}
        rij |= {"aangemaakt_door": "r", "gewijzigd_door": "r", "aangemaakt_op": nu}
        asyncio.run(
            _execute(own_target, artikel.insert().values(id=artikel_id, gewijzigd_op=nu, **rij))
        )
        asyncio.run(
            _execute(
                own_target,
                document.insert().values(
                    artikel_id=artikel_id,
                    nummer=nummer,
                    lengte_titel=1,
                    lengte_samenvatting=1,
                    lengte_inhoud=1,
                    tekst="I",
                    woorden="i",
                ),
            )
        )
        for stam in stammen:
            asyncio.run(
                _execute(
                    own_target,
                    term.insert().values(
                        stam=stam,
                        artikel_id=artikel_id,
                        tf_titel=0,
                        tf_samenvatting=0,
                        tf_inhoud=1,
                        impact=0.5,
                    ),
                )
            )
    command.upgrade(config, "0005")
    rijen = asyncio.run(
        _execute(own_target, sa.text("SELECT stam, blok, bits FROM kennisbank.zoekbits"))
    )
    opgeslagen = {(stam, blok): int.from_bytes(bits, "little") for stam, blok, bits in rijen}
    assert opgeslagen == {
        ("brief", 0): 1 << 3,
        ("dreig", 0): 1 << 3,
        ("dreig", 1): 1 << (9000 - 8192),
    }
    command.downgrade(config, "0004")
    command.upgrade(config, "head")
    command.check(config)
