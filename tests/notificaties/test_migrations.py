"""Migrations: upgrade → downgrade → upgrade, and the models match them (`alembic check`).

Runs on a database of its own: downgrading the session's database would drop the
catalogue the other tests read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command

from services.common.db import DatabaseTarget, database_target
from services.common.migrations import alembic_config
from services.common.settings import ServiceSettings
from tests.conftest import Backend
from tests.support import postgres


@pytest.fixture
def eigen_database(
    backend: Backend, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[DatabaseTarget]:
    if not backend.is_postgres:
        settings = ServiceSettings(data_dir=tmp_path)
        yield database_target(settings, service="notificaties", schema="notificaties")
        return
    admin = request.getfixturevalue("postgres_admin_url")
    url = postgres.create_database(admin)
    try:
        settings = ServiceSettings(data_dir=tmp_path, database_url=url)
        yield database_target(settings, service="notificaties", schema="notificaties")
    finally:
        postgres.drop_database(admin, url)


def test_upgrade_downgrade_upgrade_and_check(eigen_database: DatabaseTarget) -> None:
    config = alembic_config("notificaties", eigen_database)
    command.upgrade(config, "head")
    command.check(config)
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    command.check(config)
