"""Test helpers: a nats-server of our own, a webhook receiver on loopback, a publisher.

The publisher sends exactly what the relays send (docs/events.md) the relays send: the CloudEvent
JSON on `weerbaar.<service>.<type>` with `Nats-Msg-Id` and `Weerbaar-Bereik` headers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import nats

from services.common.nats import ensure_stream
from tests.support.nats import NatsServer


def start_nats(store: Path) -> NatsServer:
    server = NatsServer(store)
    server.start()
    return server


def envelope(
    event_type: str, *, service: str | None = None, subject: str | None = None, **data: Any
) -> dict[str, Any]:
    service = service or event_type.split(".")[2]
    resource = subject or str(uuid.uuid4())
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": f"urn:nld:weerbaarbestuur:{service}",
        "type": event_type,
        "time": datetime.now(UTC).isoformat(),
        "subject": resource,
        "datacontenttype": "application/json",
        "dataref": f"http://127.0.0.1:8000/api/{service}/v1/x/{resource}",
        "data": data,
    }


async def _publish(
    url: str, messages: list[tuple[dict[str, Any], dict[str, Any] | None, bool]]
) -> None:
    nc = await nats.connect(url, connect_timeout=5)
    try:
        js = nc.jetstream()
        await ensure_stream(js)
        for event, bereik, msg_id in messages:
            service, short = event["type"].split(".")[2:4]
            headers = {}
            if msg_id:
                headers["Nats-Msg-Id"] = event["id"]
            if bereik is not None:
                headers["Weerbaar-Bereik"] = json.dumps(bereik, separators=(",", ":"))
            await js.publish(
                f"weerbaar.{service}.{short}",
                json.dumps(event).encode("utf-8"),
                headers=headers or None,
            )
    finally:
        await nc.close()


def publish(
    url: str, event: dict[str, Any], bereik: dict[str, Any] | None = None, *, msg_id: bool = True
) -> dict[str, Any]:
    asyncio.run(_publish(url, [(event, bereik, msg_id)]))
    return event


def melding_event(
    short: str,
    organisatie: str,
    *,
    vertrouwelijk: bool = False,
    owb: bool = False,
    melder: str = "m",
    behandelaar: str | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    event = envelope(
        f"nl.weerbaarbestuur.meldingen.{short}",
        organisatie=organisatie,
        status="ontvangen",
        prioriteit="normaal",
        vertrouwelijk=vertrouwelijk,
    )
    bereik = {
        "organisatie": organisatie,
        "vertrouwelijk": vertrouwelijk,
        "owbBereik": owb,
        "melder": melder,
        "behandelaar": behandelaar,
    }
    return event, bereik


@dataclass
class Ontvangen:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Receiver:
    """A webhook receiver on loopback; each path answers by its last segment's behaviour."""

    port: int = 0
    requests: list[Ontvangen] = field(default_factory=list)
    statuses: dict[str, list[int]] = field(default_factory=dict)
    holds: dict[str, threading.Event] = field(default_factory=dict)
    endless: set[str] = field(default_factory=set)
    redirects: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, name: str | None = None) -> str:
        return f"http://localhost:{self.port}/{name or uuid.uuid4().hex}"

    def answer(self, url: str, *statuses: int) -> None:
        """Answer these statuses in turn, then 200 forever."""
        self.statuses[url.rsplit("/", 1)[1]] = list(statuses)

    def hold(self, url: str) -> threading.Event:
        """Keep requests to `url` waiting until the returned event is set."""
        event = threading.Event()
        self.holds[url.rsplit("/", 1)[1]] = event
        return event

    def stream_forever(self, url: str) -> None:
        """Answer 200 with a body that never ends."""
        self.endless.add(url.rsplit("/", 1)[1])

    def redirect(self, url: str, location: str) -> None:
        self.redirects[url.rsplit("/", 1)[1]] = location

    def at(self, url: str) -> list[Ontvangen]:
        name = "/" + url.rsplit("/", 1)[1]
        with self.lock:
            return [r for r in self.requests if r.path == name]


def start_receiver() -> tuple[Receiver, Callable[[], None]]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            name = self.path.lstrip("/")
            with receiver.lock:
                receiver.requests.append(
                    Ontvangen(
                        self.path,
                        {k.lower(): v for k, v in self.headers.items()},
                        body,
                        time.monotonic(),
                    )
                )
                queue = receiver.statuses.get(name)
                status = queue.pop(0) if queue else 200
            hold = receiver.holds.get(name)
            if hold is not None:
                hold.wait(timeout=30)
            if name in receiver.endless:
                self._endless()
                return
            if name in receiver.redirects:
                self.send_response(307)
                self.send_header("Location", receiver.redirects[name])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(b"ok")

        def _endless(self) -> None:
            self.send_response(200)
            self.end_headers()  # no length: the body runs until we close
            chunk = b"x" * 65536
            with contextlib.suppress(OSError):
                for _ in range(100_000):  # 6 GiB: far beyond any timeout
                    self.wfile.write(chunk)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        for event in receiver.holds.values():
            event.set()
        server.shutdown()
        server.server_close()

    return receiver, stop
