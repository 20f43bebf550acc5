"""docs/settings.md is generated from the settings classes and must match them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings, SettingsConfigDict

from tests.deploy.settings_names import PROCESSES, env_names
from tools import settings_reference
from tools.settings_reference import COMMAND, OUTPUT, UndocumentedSetting, render, rows


def test_the_committed_reference_is_current() -> None:
    committed = OUTPUT.read_text(encoding="utf-8")
    assert committed == render(), f"docs/settings.md is stale: run `{COMMAND}` and commit it"


def test_every_name_a_process_reads_is_documented() -> None:
    documented = set(re.findall(r"`(WEERBAAR_[A-Z0-9_]+)`", OUTPUT.read_text(encoding="utf-8")))
    for process in PROCESSES:
        missing = env_names(process) - documented
        assert not missing, f"{process} reads {sorted(missing)}, not in docs/settings.md"


def test_a_setting_without_a_meaning_stops_the_generator() -> None:
    class Undocumented(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="WEERBAAR_", use_attribute_docstrings=True)

        documented: int = 1
        """Has a meaning."""
        silent: int = 2

    with pytest.raises(UndocumentedSetting, match="WEERBAAR_SILENT"):
        list(rows(Undocumented))


def test_check_fails_on_a_stale_file_and_names_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "settings.md"
    stale.write_text(render().replace("WEERBAAR_PORT", "WEERBAAR_POORT", 1), encoding="utf-8")
    monkeypatch.setattr(settings_reference, "OUTPUT", stale)
    assert settings_reference.main(["--check"]) == 1
    assert COMMAND in capsys.readouterr().err
    assert settings_reference.main([]) == 0
    assert settings_reference.main(["--check"]) == 0
