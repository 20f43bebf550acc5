"""The image's `prestart <svc>` (what the compose one-shot containers and the migration Jobs
run), in production mode, against a provisioned PostgreSQL: each service migrates as its
owner role and seeds as its app role, twice (upgrades and seeds are idempotent).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.common.crypto import generate_key_spec
from tests.deploy.support import DEPLOY, ROOT, SERVICES, provision, role_passwords, sql, url_as
from tests.support import postgres

pytestmark = pytest.mark.postgres_only


@pytest.fixture(scope="module")
def provisioned(postgres_admin_url: str) -> Iterator[tuple[str, dict[str, str]]]:
    database_url = postgres.create_database(postgres_admin_url, prefix="wb_deploy_prestart")
    passwords = role_passwords()
    try:
        result = provision(database_url, passwords)
        assert result.returncode == 0, result.stderr
        yield database_url, passwords
    finally:
        postgres.drop_database(postgres_admin_url, database_url)


@pytest.mark.parametrize("svc", SERVICES)
def test_prestart_migrates_as_owner_and_seeds_as_app_role(
    provisioned: tuple[str, dict[str, str]], svc: str, tmp_path: Path
) -> None:
    database_url, passwords = provisioned
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEERBAAR_")}
    env.update(
        {
            "PATH": f"{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}",
            "PYTHONPATH": str(ROOT),
            "WEERBAAR_ENV": "production",
            "WEERBAAR_DATA_DIR": str(tmp_path),
            "WEERBAAR_OIDC_ISSUER": "https://sso.weerbaar.example/realms/weerbaar",
            "WEERBAAR_OIDC_ROLES_CLAIM": "realm_access.roles",
            "WEERBAAR_DATA_KEYS": generate_key_spec("prestart"),
            "WEERBAAR_PUBLIC_BASE_URL": "https://api.weerbaar.example",
            "WEERBAAR_DATABASE_URL": url_as(
                database_url, f"{svc}_app", passwords[f"{svc.upper()}_APP_PASSWORD"]
            ),
            "WEERBAAR_MIGRATION_DATABASE_URL": url_as(
                database_url, f"{svc}_owner", passwords[f"{svc.upper()}_OWNER_PASSWORD"]
            ),
        }
    )
    for attempt in (1, 2):
        result = subprocess.run(
            ["/bin/sh", str(DEPLOY / "entrypoint.sh"), "prestart", svc],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            cwd=tmp_path,
        )
        assert result.returncode == 0, f"attempt {attempt}: {result.stderr[-3000:]}"
    owners = sql(
        database_url,
        "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = $$" + svc + "$$",
    )[0]
    assert [row["tableowner"] for row in owners] == [f"{svc}_owner"]
    version = sql(database_url, f"SELECT version_num FROM {svc}.alembic_version")[0]
    assert len(version) == 1
