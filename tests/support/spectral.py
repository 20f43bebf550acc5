"""Run the NL GOV API Design Rules (Spectral) against an OpenAPI document."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPECTRAL = ROOT / "tools" / "spectral" / "node_modules" / ".bin" / "spectral"


def ruleset() -> Path:
    shared = ROOT.parent / "shared" / "adr" / "linter.yaml"
    return shared if shared.exists() else ROOT / "tools" / "spectral" / "linter.yaml"


def assert_passes_design_rules(document: dict[str, Any], tmp_path: Path) -> None:
    if not SPECTRAL.exists() or shutil.which("node") is None:
        reason = "Spectral is not installed (make spectral-setup needs npm)"
        if os.environ.get("WEERBAAR_REQUIRE_SPECTRAL") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = subprocess.run(
        [
            str(SPECTRAL),
            "lint",
            "-r",
            str(ruleset()),
            "--fail-severity",
            "error",
            "--format",
            "text",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    errors = [line for line in result.stdout.splitlines() if " error " in line]
    assert not errors, result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
