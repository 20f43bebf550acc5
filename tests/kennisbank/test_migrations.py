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
