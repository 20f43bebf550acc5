"""The one Alembic helper: every service's env.py calls `run_migrations`.

Each service has its own migration tree and keeps its `alembic_version` inside its own schema;
autogenerate and `alembic check` only look at that schema.
"""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any, Literal

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection

from services.common.db import DatabaseTarget, create_engine_for, database_target
from services.common.settings import ServiceSettings
from services.common.types import UtcDateTime

TARGET_ATTRIBUTE = "weerbaar_target"


def alembic_config(service: str, target: DatabaseTarget | None = None) -> Config:
    """Config for one service's tree; `target` overrides the settings (tests use it)."""
    package = importlib.import_module(f"services.{service}")
    assert package.__file__
    config = Config()
    config.set_main_option("script_location", str(Path(package.__file__).parent / "migrations"))
    config.set_main_option("service", service)
    if target is not None:
        config.attributes[TARGET_ATTRIBUTE] = target
    return config


def upgrade(service: str, target: DatabaseTarget | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(service, target), revision)


def _include_name(schema: str) -> Any:
    def include_name(name: str | None, type_: str, _parent: Any) -> bool:
        if type_ == "schema":
            return name == schema
        return True

    return include_name


def _render_item(type_: str, obj: Any, _autogen_context: Any) -> str | Literal[False]:
    # Migrations spell the plain column type, so they import nothing of ours.
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure_and_run(connection: Connection, schema: str, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_schemas=True,
        include_name=_include_name(schema),
        version_table_schema=schema,
        compare_type=True,
        render_as_batch=True,  # ALTERs as batch operations: the same file runs on SQLite
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(target: DatabaseTarget, metadata: MetaData) -> None:
    engine = create_engine_for(target, pool_size=1)
    try:
        async with engine.connect() as connection:
            if not target.is_sqlite:
                exists = await connection.scalar(
                    text("SELECT 1 FROM pg_namespace WHERE nspname = :schema"),
                    {"schema": target.schema},
                )
                if not exists:
                    await connection.execute(text(f'CREATE SCHEMA "{target.schema}"'))
                await connection.commit()
            await connection.run_sync(_configure_and_run, target.schema, metadata)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations(*, schema: str, metadata: MetaData) -> None:
    """Called from a service's migrations/env.py (online mode only)."""
    config = context.config
    target = config.attributes.get(TARGET_ATTRIBUTE)
    if target is None:
        service = config.get_main_option("service") or schema
        target = database_target(ServiceSettings(), service=service, schema=schema, migration=True)
    asyncio.run(_run_async(target, metadata))
