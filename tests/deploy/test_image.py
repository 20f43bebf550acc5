"""The image's entrypoint, health check, Dockerfile and build context."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import ModuleType

import pytest

from tests.deploy.support import DEPLOY, ROOT, SERVICES

ENTRYPOINT = DEPLOY / "entrypoint.sh"


@pytest.fixture
def fake_python(tmp_path: Path) -> Path:
    """A `python` on PATH that records its arguments instead of running anything."""
    log = tmp_path / "calls.log"
    script = tmp_path / "python"
    script.write_text(f'#!/bin/sh\necho "$*" >> {log}\n', encoding="utf-8")
    script.chmod(0o755)
    return log


def _entrypoint(fake_python: Path, *args: str) -> tuple[int, list[str]]:
    env = {"PATH": f"{fake_python.parent}:/usr/bin:/bin"}
    result = subprocess.run(
        ["/bin/sh", str(ENTRYPOINT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    calls = fake_python.read_text(encoding="utf-8").splitlines() if fake_python.exists() else []
    return result.returncode, calls


@pytest.mark.parametrize(
    ("args", "calls"),
    [
        (["gateway"], ["-m gateway serve"]),
        (["meldingen"], ["-m services.meldingen serve"]),
        (["beveiliging"], ["-m services.beveiliging serve"]),
        (["kennisbank"], ["-m services.kennisbank serve"]),
        (["migrate", "beveiliging"], ["-m services.beveiliging migrate"]),
        (["seed", "kennisbank"], ["-m services.kennisbank seed"]),
        (
            ["prestart", "kennisbank"],
            ["-m services.kennisbank migrate", "-m services.kennisbank seed"],
        ),
        (["retention"], ["-m services.meldingen retention"]),
        (["rotate-keys"], ["-m services.meldingen rotate-keys"]),
    ],
)
def test_entrypoint_selects_the_process(
    fake_python: Path, args: list[str], calls: list[str]
) -> None:
    assert _entrypoint(fake_python, *args) == (0, calls)


@pytest.mark.parametrize(
    "args", [["migrate"], ["migrate", "gateway"], ["seed", "../etc"], ["bash"], ["python"]]
)
def test_entrypoint_refuses_anything_else(fake_python: Path, args: list[str]) -> None:
    assert _entrypoint(fake_python, *args) == (64, [])


@cache
def _cli_commands(module: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-m", module, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=ROOT,
    )
    match = re.search(r"\{([a-z,-]+)\}", result.stdout)
    assert match, f"python -m {module} --help: {result.stdout}{result.stderr}"
    return set(match.group(1).split(","))


@pytest.mark.parametrize(
    ("module", "command"),
    [
        ("gateway", "serve"),
        *((f"services.{svc}", c) for svc in SERVICES for c in ("serve", "migrate", "seed")),
        ("services.meldingen", "retention"),
        ("services.meldingen", "rotate-keys"),
    ],
)
def test_every_command_the_image_runs_exists(module: str, command: str) -> None:
    assert command in _cli_commands(module)


def _load_healthcheck() -> ModuleType:
    spec = importlib.util.spec_from_file_location("weerbaar_healthcheck", DEPLOY / "healthcheck.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("cmdline", "port"),
    [
        (["python", "-m", "gateway", "serve"], 8000),
        (["/app/.venv/bin/python", "-m", "services.meldingen", "serve"], 8001),
        (["python", "-m", "services.beveiliging", "serve"], 8002),
        (["python", "-m", "services.kennisbank", "serve"], 8003),
        (["python", "-m", "services.meldingen", "migrate"], None),
        (["python", "-m", "services.meldingen", "retention"], None),
        ([], None),
    ],
)
def test_healthcheck_finds_the_port_of_the_served_process(
    cmdline: list[str], port: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WEERBAAR_PORT", raising=False)
    assert _load_healthcheck().served_port(cmdline) == port


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:
        self.send_response(self.status if self.path == "/health/ready" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("status", "exit_code"), [(200, 0), (503, 1)])
def test_healthcheck_asks_health_ready(
    health_server: HTTPServer, status: int, exit_code: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = _load_healthcheck()
    monkeypatch.setattr(_Health, "status", status)
    monkeypatch.setenv("WEERBAAR_PORT", str(health_server.server_address[1]))
    monkeypatch.setattr(module, "pid1_cmdline", lambda: ["python", "-m", "gateway", "serve"])
    assert module.main() == exit_code


def test_healthcheck_fails_when_nothing_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    module = _load_healthcheck()
    monkeypatch.setenv("WEERBAAR_PORT", "1")
    monkeypatch.setattr(module, "pid1_cmdline", lambda: ["python", "-m", "gateway", "serve"])
    assert module.main() == 1


def _stages(dockerfile: str) -> list[str]:
    """The instructions of each stage, comments left out."""
    code = "\n".join(line for line in dockerfile.splitlines() if not line.lstrip().startswith("#"))
    return re.split(r"(?m)^FROM ", code)[1:]


def test_dockerfile_builds_from_the_lock_and_runs_unprivileged() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    base = re.search(r"(?m)^ARG PYTHON_IMAGE=(\S+)$", text)
    assert base
    assert re.fullmatch(r"python:3\.11\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?", base.group(1))
    builder, runtime = _stages(text)
    assert "uv sync --frozen --no-dev --no-editable" in builder
    assert re.search(r"pip install --no-cache-dir uv==\d+\.\d+\.\d+", builder)
    assert re.search(r"(?m)^USER 10001:10001$", runtime)
    assert "HEALTHCHECK" in runtime
    assert "curl" not in runtime
    assert "wget" not in runtime
    assert not re.search(r"gcc|build-essential|apt-get install", runtime)
    assert 'ENTRYPOINT ["/usr/local/bin/weerbaar"]' in runtime


def test_build_context_keeps_secrets_and_local_state_out() -> None:
    lines = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*", "an allow-list: everything is out unless named"
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert not allowed & {".env", "var", "tests", ".git", ".venv", "deploy"}
    assert {"pyproject.toml", "uv.lock", "services", "gateway"} <= allowed


def test_deploy_scripts_are_executable() -> None:
    for script in (
        "entrypoint.sh",
        "check.sh",
        "backup.sh",
        "restore.sh",
        "postgres/provision.sh",
        "postgres/keycloak-db.sh",
    ):
        assert (DEPLOY / script).stat().st_mode & 0o111, script
