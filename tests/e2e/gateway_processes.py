"""Real processes on free loopback ports for the gateway's end-to-end tests.

Each :class:`Process` is started with ``sys.executable``, logs to a file the
test can read, and is stopped by its own pid (never by name).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
ECHO = Path(__file__).with_name("echo_upstream.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    def __init__(
        self,
        name: str,
        args: Sequence[str],
        *,
        port: int,
        log_dir: Path,
        env: Mapping[str, str] | None = None,
        health_path: str = "/health/live",
    ) -> None:
        self.name = name
        self.args = list(args)
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_dir / f"{name}.log"
        self.env = {**os.environ, **(env or {})}
        self.health_path = health_path
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> Process:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, *self.args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log()}")
            try:
                if httpx.get(self.url + self.health_path, timeout=1).status_code < 500:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not start:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def echo_upstream(service: str, log_dir: Path, port: int | None = None) -> Process:
    port = port or free_port()
    return Process(
        f"echo-{service}-{port}", [str(ECHO), str(port), service], port=port, log_dir=log_dir
    )


def devidp(log_dir: Path, data_dir: Path) -> Process:
    port = free_port()
    env = {
        "WEERBAAR_PORT": str(port),
        "WEERBAAR_OIDC_ISSUER": f"http://127.0.0.1:{port}",
        "WEERBAAR_DATA_DIR": str(data_dir),
    }
    return Process("devidp", ["-m", "devidp", "serve"], port=port, log_dir=log_dir, env=env)


def gateway(log_dir: Path, issuer: str, upstreams: Mapping[str, str], **settings: str) -> Process:
    """A gateway in front of ``upstreams`` (service name → URL); others are not routed."""
    port = free_port()
    env = {
        "WEERBAAR_PORT": str(port),
        "WEERBAAR_OIDC_ISSUER": issuer,
        "WEERBAAR_MELDINGEN_URL": upstreams.get("meldingen", ""),
        "WEERBAAR_BEVEILIGING_URL": upstreams.get("beveiliging", ""),
        "WEERBAAR_KENNISBANK_URL": upstreams.get("kennisbank", ""),
        **{f"WEERBAAR_{key.upper()}": value for key, value in settings.items()},
    }
    return Process(
        f"gateway-{port}", ["-m", "gateway", "serve"], port=port, log_dir=log_dir, env=env
    )


def dev_token(issuer: str, sub: str, roles: Sequence[str], org: str = "GM0363") -> str:
    response = httpx.post(
        f"{issuer}/dev/token", json={"sub": sub, "roles": list(roles), "org": org}, timeout=5
    )
    response.raise_for_status()
    return str(response.json()["access_token"])
