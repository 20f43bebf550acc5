"""The meldingen migrations go up, all the way down and up again, and match the models.

Each run uses a database of its own: a new SQLite directory, or a new PostgreSQL database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

import services.meldingen.models  # noqa: F401
from services.common.db import DatabaseTarget, create_engine_for, database_target
from services.common.migrations import alembic_config
from services.common.settings import ServiceSettings
from services.meldingen.db import metadata
from tests.conftest import Backend
from tests.support import postgres

# Every table the models declare (importing the models registers them all).
TABLES = {table.name for table in metadata.sorted_tables}


@pytest.fixture
def fresh_target(
    backend: Backend, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[DatabaseTarget]:
    if not backend.is_postgres:
        settings = ServiceSettings(data_dir=tmp_path)
        yield database_target(settings, service="meldingen", schema="meldingen")
        return
    admin = request.getfixturevalue("postgres_admin_url")
    url = postgres.create_database(admin, prefix="wb_migrations")
    try:
        settings = ServiceSettings(data_dir=tmp_path, database_url=url)
        yield database_target(settings, service="meldingen", schema="meldingen")
    finally:
        postgres.drop_database(admin, url)


def tables(target: DatabaseTarget) -> set[str]:
    def names(connection: Connection) -> set[str]:
        return set(inspect(connection).get_table_names(schema=target.schema))

    async def go() -> set[str]:
        engine = create_engine_for(target, pool_size=1)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(names)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def version(target: DatabaseTarget) -> str | None:
    async def go() -> str | None:
        engine = create_engine_for(target, pool_size=1)
        try:
            async with engine.connect() as connection:
                value = await connection.scalar(
                    text(f'SELECT version_num FROM "{target.schema}".alembic_version')
                )
                return None if value is None else str(value)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def test_upgrade_downgrade_upgrade_and_models_match(fresh_target: DatabaseTarget) -> None:
    assert {"melding", "kenmerk_teller", "statuswijziging", "notitie"} <= TABLES
    config = alembic_config("meldingen", fresh_target)
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, "one line of migrations, no branches"

    command.upgrade(config, "head")
    assert tables(fresh_target) == TABLES | {"alembic_version"}
    assert version(fresh_target) == heads[0]

    command.downgrade(config, "base")
    assert tables(fresh_target) <= {"alembic_version"}, "downgrade leaves nothing behind"
    assert version(fresh_target) is None

    command.upgrade(config, "head")
    command.upgrade(config, "head")  # a second run at head changes nothing
    assert tables(fresh_target) == TABLES | {"alembic_version"}
    assert version(fresh_target) == heads[0]

    command.check(config)  # raises when the models and the migrations differ
