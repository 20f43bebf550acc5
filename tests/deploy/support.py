"""Helpers for the deployment tests: paths, running the provisioning script, roles."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from tests.support import postgres

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SERVICES = ("meldingen", "beveiliging", "kennisbank", "notificaties")
ROLES = tuple(f"{svc}_{kind}" for svc in SERVICES for kind in ("owner", "app"))


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        postgres.unavailable(f"{name} is not installed (PostgreSQL client tools)")
    assert path is not None
    return path


def role_passwords() -> dict[str, str]:
    """Fresh random passwords, as the provisioning script's environment wants them."""
    return {f"{role.upper()}_PASSWORD": secrets.token_hex(16) for role in ROLES}


def provision(database_url: str, passwords: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    require_tool("psql")
    env = {key: value for key, value in os.environ.items() if not key.endswith("_PASSWORD")}
    env.update(passwords)
    return subprocess.run(
        [str(DEPLOY / "postgres" / "provision.sh"), database_url],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def url_as(database_url: str, role: str, password: str | None = None) -> str:
    """The same database, connected as another role."""
    return (
        make_url(database_url)
        .set(drivername="postgresql", username=role, password=password)
        .render_as_string(hide_password=False)
    )


async def _fetch(url: str, statements: tuple[str, ...]) -> list[Any]:
    connection = await asyncpg.connect(url)
    try:
        results = []
        for statement in statements:
            results.append(await connection.fetch(statement))
        return results
    finally:
        await connection.close()


def sql(url: str, *statements: str) -> list[Any]:
    """Run statements on one connection; returns each one's rows."""
    return asyncio.run(_fetch(url, statements))
