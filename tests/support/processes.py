"""Real processes on loopback for end-to-end tests: start, wait until live, stop, read logs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningProcess:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_process(
    name: str,
    args: list[str],
    *,
    env: Mapping[str, str],
    log_dir: Path,
    port: int | None = None,
    ready_path: str = "/health/live",
    timeout: float = 90.0,
) -> RunningProcess:
    """`python -m <args>` with WEERBAAR_PORT set; returns once `ready_path` answers 200.

    The deadline is generous on purpose: a healthy process returns as soon as it is ready,
    and on a loaded machine (two cores, several suites) a start can take well over 30 s.
    """
    port = port or free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}-{port}.log"
    full_env = {**os.environ, **env, "WEERBAAR_HOST": "127.0.0.1", "WEERBAAR_PORT": str(port)}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", *args],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    running = RunningProcess(name, port, process, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{running.log()[-3000:]}")
        try:
            if httpx.get(f"{running.url}{ready_path}", timeout=1.0).status_code == 200:
                return running
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    running.stop()
    raise RuntimeError(f"{name} did not become ready in {timeout}s:\n{running.log()[-3000:]}")
