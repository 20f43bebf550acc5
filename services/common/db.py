"""Async engine and sessions per service: PostgreSQL schema, or SQLite with the schema attached.

On SQLite every connection attaches `<main>.<schema>.db` under the schema's name, so the same
schema-qualified models and migrations run on both databases (STYLE.md).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from services.common.settings import ServiceSettings

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_BUSY_TIMEOUT_MS = 10_000

T = TypeVar("T")


def service_metadata(schema: str) -> MetaData:
    """One MetaData per service: its own schema and stable constraint names on both databases."""
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


@dataclass(frozen=True)
class DatabaseTarget:
    url: URL
    schema: str

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def schema_file(self) -> Path:
        assert self.url.database
        return Path(f"{self.url.database.removesuffix('.db')}.{self.schema}.db")


def _async_url(raw: str) -> URL:
    url = make_url(raw)
    backend = url.get_backend_name()
    if backend in {"postgresql", "postgres"}:
        return url.set(drivername="postgresql+asyncpg")
    if backend == "sqlite":
        return url.set(drivername="sqlite+aiosqlite")
    raise ValueError(f"unsupported database {backend!r}: use postgresql:// or sqlite://")


def database_target(
    settings: ServiceSettings, *, service: str, schema: str, migration: bool = False
) -> DatabaseTarget:
    raw = (settings.migration_database_url if migration else None) or settings.database_url
    if raw:
        return DatabaseTarget(_async_url(raw), schema)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = (settings.data_dir / f"{service}.db").resolve()
    return DatabaseTarget(make_url(f"sqlite+aiosqlite:///{path}"), schema)


def _prepare_sqlite(engine: AsyncEngine, target: DatabaseTarget) -> None:
    schema_file = str(target.schema_file)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling would start writes lazily; we begin explicitly.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f'ATTACH DATABASE ? AS "{target.schema}"', (schema_file,))
        cursor.execute(f'PRAGMA "{target.schema}".journal_mode = WAL')
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: no deadlock when two readers upgrade.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine_for(target: DatabaseTarget, *, pool_size: int = 10) -> AsyncEngine:
    if target.is_sqlite:
        engine = create_async_engine(target.url, pool_pre_ping=True)
        _prepare_sqlite(engine, target)
        return engine
    return create_async_engine(
        target.url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_recycle=1800,
        pool_timeout=10,
        connect_args={"server_settings": {"application_name": f"weerbaar-{target.schema}"}},
    )


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def run_in_session(target: DatabaseTarget, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """``work`` in one session on its own single-connection engine, committed; for one-off
    commands (retention, key rotation, rebuilds) that run outside the app."""
    engine = create_engine_for(target, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            result = await work(session)
            await session.commit()
            return result
    finally:
        await engine.dispose()


async def database_ready(engine: AsyncEngine) -> bool:
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver or network failure means not ready
        return False
