"""deploy/backup.sh and deploy/restore.sh on the real PostgreSQL, end to end.

A provisioned database is migrated by `python -m services.meldingen migrate`
as the owner role; the service itself, as the app role, stores a melding
(its omschrijving encrypted); backup.sh dumps the schema and writes the key
ring elsewhere; restore.sh brings the schema into another provisioned
database; and the service, given only the restored database and the saved key
ring, reads the melding back in plain text.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import pytest
from fastapi.testclient import TestClient

from services.common.crypto import generate_key_spec
from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from tests.conftest import DevIdp
from tests.deploy.support import DEPLOY, ROOT, provision, require_tool, role_passwords, sql, url_as
from tests.support import postgres

pytestmark = pytest.mark.postgres_only


OMSCHRIJVING = "Na de raadsvergadering stond iemand bij mijn huis te wachten en dreigde mij."
BASE = "/api/meldingen/v1/meldingen"


@dataclass
class Database:
    url: str  # admin role, in this database
    passwords: dict[str, str]

    def as_role(self, role: str) -> str:
        return url_as(self.url, role, self.passwords[f"{role.upper()}_PASSWORD"])


@pytest.fixture
def databases(postgres_admin_url: str) -> Iterator[tuple[Database, Database]]:
    for tool in ("psql", "pg_dump", "pg_restore"):
        require_tool(tool)
    created: list[str] = []
    try:
        pair = []
        for label in ("bron", "doel"):
            url = postgres.create_database(postgres_admin_url, prefix=f"wb_deploy_{label}")
            created.append(url)
            passwords = role_passwords()
            result = provision(url, passwords)
            assert result.returncode == 0, result.stderr
            pair.append(Database(url, passwords))
        yield pair[0], pair[1]
    finally:
        for url in created:
            postgres.drop_database(postgres_admin_url, url)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("WEERBAAR_")}
    return subprocess.run(
        args, env={**base, **env}, capture_output=True, text=True, timeout=300, check=False
    )


def _app(db: Database, data_keys: str, devidp: DevIdp, tmp_path: Path) -> TestClient:
    settings = MeldingenSettings(
        env="test",
        data_dir=tmp_path,
        database_url=db.as_role("meldingen_app"),
        data_keys=data_keys,
        oidc_issuer=devidp.issuer,
    )
    return TestClient(create_app(settings), base_url="http://testserver")


def _melding_body() -> dict[str, Any]:
    return {
        "gedragstype": "instrumentele_agressie",
        "vormen": ["bedreiging", "intimidatie"],
        "omschrijving": OMSCHRIJVING,
        "datumVoorval": "2026-11-20T21:30:00+01:00",
        "functie": "burgemeester",
    }


def test_a_restored_meldingen_schema_is_read_with_the_separately_saved_key_ring(
    databases: tuple[Database, Database], devidp: DevIdp, tmp_path: Path
) -> None:
    bron, doel = databases
    ring = generate_key_spec("backup-2") + "," + generate_key_spec("backup-1")

    # Migrations run through the image's command, as the owner role.
    migrated = _run(
        [sys.executable, "-m", "services.meldingen", "migrate"],
        {
            "WEERBAAR_DATABASE_URL": bron.as_role("meldingen_app"),
            "WEERBAAR_MIGRATION_DATABASE_URL": bron.as_role("meldingen_owner"),
            "WEERBAAR_DATA_KEYS": ring,
            "WEERBAAR_DATA_DIR": str(tmp_path),
            "PYTHONPATH": str(ROOT),
        },
    )
    assert migrated.returncode == 0, migrated.stderr

    # The service, as the app role, stores a melding; the text is encrypted at rest.
    melder = {"Authorization": f"Bearer {devidp.token('deploy-melder', ['melder'], 'GM0363')}"}
    with _app(bron, ring, devidp, tmp_path) as client:
        created = client.post(BASE, json=_melding_body(), headers=melder)
        assert created.status_code == 201, created.text
        melding = created.json()
    stored = sql(bron.url, "SELECT * FROM meldingen.melding")[0]
    assert len(stored) == 1
    assert OMSCHRIJVING not in repr(dict(stored[0])), "omschrijving is stored in plain text"

    # Back up: the dump in one place, the key ring in another. The ring comes from a mounted
    # secret file, as in the Kubernetes pods (WEERBAAR_DATA_KEYS_FILE).
    dumps, keys = tmp_path / "dumps", tmp_path / "keys"
    mounted = tmp_path / "data-keys"
    mounted.write_text(ring + "\n", encoding="utf-8")
    backup = _run(
        [str(DEPLOY / "backup.sh"), "-s", "meldingen", "-o", str(dumps), "-k", str(keys)],
        {
            "BACKUP_DATABASE_URL": bron.as_role("meldingen_owner"),
            "WEERBAAR_DATA_KEYS_FILE": str(mounted),
        },
    )
    assert backup.returncode == 0, backup.stderr
    assert "apart from the dump" in backup.stderr
    (dump,) = dumps.glob("meldingen-*.dump")
    (key_file,) = keys.glob("meldingen-data-keys-*.txt")
    assert (key_file.stat().st_mode & 0o777) == 0o600
    assert key_file.read_text(encoding="utf-8") == ring + "\n"
    assert ring.encode() not in dump.read_bytes()
    same_dir = _run(
        [str(DEPLOY / "backup.sh"), "-s", "meldingen", "-o", str(dumps), "-k", str(dumps)],
        {"BACKUP_DATABASE_URL": bron.as_role("meldingen_owner"), "WEERBAAR_DATA_KEYS": ring},
    )
    assert same_dir.returncode != 0, "the key ring must never land next to the dump"
    assert len(list(dumps.iterdir())) == 2, "a refused backup writes nothing"

    # Restore into the other, freshly provisioned database, as its owner role.
    restore = _run(
        [str(DEPLOY / "restore.sh"), "-s", "meldingen", "-f", str(dump)],
        {"RESTORE_DATABASE_URL": doel.as_role("meldingen_owner")},
    )
    assert restore.returncode == 0, restore.stderr
    again = _run(
        [str(DEPLOY / "restore.sh"), "-s", "meldingen", "-f", str(dump)],
        {"RESTORE_DATABASE_URL": doel.as_role("meldingen_owner")},
    )
    assert again.returncode != 0, "a schema holding tables is not overwritten without -c"

    # The access log is still append-only for the app role after the restore.
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        sql(doel.as_role("meldingen_app"), "DELETE FROM meldingen.inzage")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        sql(doel.as_role("meldingen_app"), "UPDATE meldingen.inzage SET rol = rol")

    # The service on the restored database, with the saved key ring, reads the text back.
    saved_ring = key_file.read_text(encoding="utf-8").strip()
    with _app(doel, saved_ring, devidp, tmp_path) as client:
        read = client.get(f"{BASE}/{melding['id']}", headers=melder)
        assert read.status_code == 200, read.text
        assert read.json()["omschrijving"] == OMSCHRIJVING
        assert read.json()["kenmerk"] == melding["kenmerk"]
        # New meldingen continue the restored counter: no kenmerk is handed out twice.
        second = client.post(BASE, json=_melding_body(), headers=melder)
        assert second.status_code == 201, second.text
        assert second.json()["kenmerk"] != melding["kenmerk"]
