"""PostgreSQL and SQLite give the same results on a fixed corpus: the seed content.

Each backend gets a fresh database, migrated and seeded with the shipped articles, so
no other test's articles take part.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from services.common.db import DatabaseTarget, create_engine_for, session_factory
from services.common.migrations import alembic_config, upgrade
from services.common.settings import ServiceSettings
from services.kennisbank.db import SCHEMA
from services.kennisbank.search.service import Zoekdienst
from services.kennisbank.search.zoekmachine import Filters
from services.kennisbank.seed.load import seed
from tests.kennisbank.relevantie import vragen
from tests.support import postgres

Uitkomst = list[tuple[list[tuple[str, float]], int, dict[str, dict[str, int]], str | None]]


def _doel(url: str) -> DatabaseTarget:
    settings = ServiceSettings(database_url=url)
    from services.common.db import database_target

    return database_target(settings, service="kennisbank", schema=SCHEMA)


async def _zoek_alles(target: DatabaseTarget) -> Uitkomst:
    engine = create_engine_for(target)
    dienst = Zoekdienst()
    uitkomst: Uitkomst = []
    try:
        async with session_factory(engine)() as session:
            for vraag, _ in vragen():
                r = await dienst.zoek(session, vraag, Filters(), pagina=1, grootte=5)
                uitkomst.append(
                    (
                        [(t.slug, t.score) for t in r.treffers],
                        r.aantal,
                        {"themas": r.facetten.themas, "doelgroepen": r.facetten.doelgroepen},
                        r.suggestie,
                    )
                )
    finally:
        await engine.dispose()
    return uitkomst


@pytest.fixture(scope="module")
def pg_url(postgres_admin_url: str) -> Iterator[str]:
    url = postgres.create_database(postgres_admin_url, prefix="wb_kb")
    yield url
    postgres.drop_database(postgres_admin_url, url)


def _bereid_voor(url: str) -> DatabaseTarget:
    target = _doel(url)
    upgrade("kennisbank", target)
    asyncio.run(seed(ServiceSettings(database_url=url)))
    assert asyncio.run(seed(ServiceSettings(database_url=url))) == 0  # idempotent
    return target


def test_postgres_and_sqlite_agree_on_every_relevance_question(pg_url: str, tmp_path: Path) -> None:
    sqlite = _bereid_voor(f"sqlite:///{tmp_path / 'kennisbank.db'}")
    pg = _bereid_voor(pg_url)
    op_sqlite, op_pg = asyncio.run(_zoek_alles(sqlite)), asyncio.run(_zoek_alles(pg))
    assert len(op_sqlite) >= 30
    for (vraag, _), a, b in zip(vragen(), op_sqlite, op_pg, strict=True):
        assert a == b, vraag
    # and the first result is the expected article for most questions
    eerste = sum(1 for (_, slug), a in zip(vragen(), op_sqlite, strict=True) if a[0][0][0] == slug)
    assert eerste / len(op_sqlite) >= 0.85


def _migratie_config(target: DatabaseTarget) -> Config:
    return alembic_config("kennisbank", target)


@pytest.mark.parametrize("soort", ["sqlite", "postgres"])
def test_migrations_up_down_up_and_models_match(
    soort: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if soort == "postgres":
        admin = request.getfixturevalue("postgres_admin_url")
        url = postgres.create_database(admin, prefix="wb_kbmig")
        request.addfinalizer(lambda: postgres.drop_database(admin, url))
    else:
        url = f"sqlite:///{tmp_path / 'mig.db'}"
    config = _migratie_config(_doel(url))
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    command.check(config)  # raises when models and migrations drift apart
    assert make_url(url)  # the URL stayed usable for the whole round trip
