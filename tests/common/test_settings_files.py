"""Secret settings as files (`WEERBAAR_<NAME>_FILE`), as Kubernetes and Docker mount them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from gateway.config import GatewaySettings
from services.common.crypto import generate_key_spec, load_key_ring
from services.common.settings import FromFile, SecretFileError, ServiceSettings
from services.meldingen.config import MeldingenSettings
from tests.support.processes import ROOT

SECRET_SETTINGS = [
    (ServiceSettings, "data_keys"),
    (ServiceSettings, "database_url"),
    (ServiceSettings, "migration_database_url"),
    (MeldingenSettings, "data_keys"),
    (GatewaySettings, "redis_url"),
]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith("WEERBAAR_"):
            monkeypatch.delenv(name)
    return monkeypatch


def _secret(tmp_path: Path, content: str | bytes, name: str = "secret") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    path.chmod(0o400)
    return path


def _variable(field: str) -> str:
    return f"WEERBAAR_{field.upper()}"


@pytest.mark.parametrize(("settings_class", "field"), SECRET_SETTINGS)
def test_every_secret_setting_reads_its_file_without_the_trailing_newline(
    clean_env: pytest.MonkeyPatch,
    tmp_path: Path,
    settings_class: type[BaseSettings],
    field: str,
) -> None:
    value = "redis://:p%40ss@cache:6379/0" if field == "redis_url" else "postgresql://u:pw@db/x"
    clean_env.setenv(_variable(field) + "_FILE", str(_secret(tmp_path, value + "\n")))
    assert getattr(settings_class(), field) == value


def test_the_marked_fields_are_the_secret_ones() -> None:
    """A new secret setting must be marked, or it can only come from the environment."""
    marked = {
        (cls.__name__, name)
        for cls in (MeldingenSettings, GatewaySettings)
        for name, info in cls.model_fields.items()
        if any(isinstance(meta, FromFile) for meta in info.metadata)
    }
    assert marked == {
        ("MeldingenSettings", "data_keys"),
        ("MeldingenSettings", "database_url"),
        ("MeldingenSettings", "migration_database_url"),
        ("GatewaySettings", "redis_url"),
    }


def test_a_key_ring_file_loads_the_ring(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    keys = generate_key_spec("prod-2") + "," + generate_key_spec("prod-1")
    clean_env.setenv("WEERBAAR_DATA_KEYS_FILE", str(_secret(tmp_path, keys + "\n")))
    ring = load_key_ring(ServiceSettings())
    token = ring.encrypt("dreigbrief", aad="x")
    assert ring.key_id_of(token) == "prod-2"
    assert ring.decrypt(token, aad="x") == "dreigbrief"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("waarde", "waarde"),
        ("waarde\r\n", "waarde"),
        ("waarde\n\n", "waarde\n"),  # only the one newline an editor adds
        ("  waarde \n", "  waarde "),
    ],
)
def test_only_one_trailing_newline_is_dropped(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, content: str, expected: str
) -> None:
    clean_env.setenv("WEERBAAR_DATABASE_URL_FILE", str(_secret(tmp_path, content)))
    assert ServiceSettings().database_url == expected


def test_the_variable_and_its_file_both_set_is_a_start_up_error(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_env.setenv("WEERBAAR_DATA_KEYS", "in-env")
    clean_env.setenv("WEERBAAR_DATA_KEYS_FILE", str(_secret(tmp_path, "in-file")))
    with pytest.raises(SecretFileError) as raised:
        ServiceSettings()
    message = str(raised.value)
    assert "WEERBAAR_DATA_KEYS and WEERBAAR_DATA_KEYS_FILE" in message
    assert "in-env" not in message
    assert "in-file" not in message


@pytest.mark.parametrize("problem", ["missing", "directory", "empty", "binary"])
def test_a_file_that_cannot_be_used_is_a_clear_error_without_its_content(
    clean_env: pytest.MonkeyPatch, tmp_path: Path, problem: str
) -> None:
    path = tmp_path / "secret"
    if problem == "directory":
        path.mkdir()
    elif problem == "empty":
        _secret(tmp_path, "\n")
    elif problem == "binary":
        _secret(tmp_path, b"\xff\xfegeheim")
    clean_env.setenv("WEERBAAR_REDIS_URL_FILE", str(path))
    with pytest.raises(SecretFileError) as raised:
        GatewaySettings()
    assert str(raised.value).startswith(f"WEERBAAR_REDIS_URL_FILE={path}: ")
    assert "geheim" not in str(raised.value)


def test_a_service_refuses_to_start_with_both_set_and_says_why(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEERBAAR_")}
    env |= {
        "WEERBAAR_DATA_DIR": str(tmp_path),
        "WEERBAAR_DATABASE_URL": "sqlite+aiosqlite:///x.db",
        "WEERBAAR_DATABASE_URL_FILE": str(_secret(tmp_path, "sqlite+aiosqlite:///y.db")),
    }
    result = subprocess.run(
        [sys.executable, "-m", "services.meldingen", "serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "both WEERBAAR_DATABASE_URL and WEERBAAR_DATABASE_URL_FILE are set" in result.stderr
    assert "y.db" not in result.stderr
