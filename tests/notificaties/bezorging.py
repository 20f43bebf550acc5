"""Helpers of the deliverer tests: a receiver that notes every request, a notificaties API
on a database of the test's own, events stored as the consumer stores them, and real
deliverers run until a condition holds.

The fixtures that hand these out live in conftest.py (`ontvanger`, `eigen_backend`,
`maak_opzet`, `opzet`).
"""

from __future__ import annotations

import asyncio
import json
import select as io_select
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import col

from services.common.crypto import load_key_ring
from services.common.db import create_engine_for, session_factory
from services.common.paths import api_base
from services.notificaties.abonnement.models import Abonnement
from services.notificaties.aflevering.bezorger import Bezorger
from services.notificaties.aflevering.models import Aflevering
from services.notificaties.config import NotificatiesSettings
from services.notificaties.gebeurtenis import service as gebeurtenis_service
from tests.conftest import Backend
from tests.notificaties.support import envelope

KENNISBANK = "nl.weerbaarbestuur.kennisbank.artikel-gepubliceerd"
BASE = api_base("notificaties")


@dataclass
class Verzoek:
    path: str
    webhook_id: str
    poort: int
    status: int
    at: float


@dataclass
class Ontvanger:
    """Answers 200 unless told otherwise; notes whether one delivery was ever in flight twice,
    and how many requests one path ever had in flight at once."""

    port: int = 0
    verzoeken: list[Verzoek] = field(default_factory=list)
    # (path, webhook-id) → statuses to answer its first attempts with
    script: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    # path → statuses to answer its first requests with, whatever the event
    antwoorden: dict[str, list[int]] = field(default_factory=dict)
    # paths that hold every request open until `los` is set (a dead or slow-loris receiver)
    houdt_vast: set[str] = field(default_factory=set)
    los: threading.Event = field(default_factory=threading.Event)
    delay: float = 0.0
    in_flight: set[str] = field(default_factory=set)
    overlaps: list[str] = field(default_factory=list)
    per_path: dict[str, int] = field(default_factory=dict)
    hoogstens: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, name: str) -> str:
        return f"http://localhost:{self.port}/{name}"

    def ids(self, name: str, *, geslaagd: bool | None = None) -> list[str]:
        with self.lock:
            return [
                v.webhook_id
                for v in self.verzoeken
                if v.path == f"/{name}" and (geslaagd is None or (v.status < 300) == geslaagd)
            ]

    def count(self) -> int:
        with self.lock:
            return len(self.verzoeken)

    def _status(self, path: str, webhook_id: str) -> int:
        queue = self.script.get((path, webhook_id)) or self.antwoorden.get(path)
        return queue.pop(0) if queue else 200

    def begin(self, path: str, webhook_id: str, poort: int) -> int | None:
        """The status to answer, None when the request is to be held until given up on."""
        # One event goes to every subscription: a delivery is (subscription path, id).
        delivery = f"{path} {webhook_id}"
        with self.lock:
            if delivery in self.in_flight:
                self.overlaps.append(delivery)
            self.in_flight.add(delivery)
            self.per_path[path] = self.per_path.get(path, 0) + 1
            self.hoogstens[path] = max(self.hoogstens.get(path, 0), self.per_path[path])
            status = self._status(path, webhook_id)
        if path.lstrip("/") in self.houdt_vast:
            self.verzoeken_add(Verzoek(path, webhook_id, poort, 0, time.monotonic()))
            return None
        if self.delay:
            time.sleep(self.delay)
        self.verzoeken_add(Verzoek(path, webhook_id, poort, status, time.monotonic()))
        return status

    def end(self, path: str, webhook_id: str) -> None:
        with self.lock:
            self.in_flight.discard(f"{path} {webhook_id}")
            self.per_path[path] -= 1

    def verzoeken_add(self, verzoek: Verzoek) -> None:
        with self.lock:
            self.verzoeken.append(verzoek)


@contextmanager
def start_ontvanger() -> Iterator[Ontvanger]:
    state = Ontvanger()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            webhook_id = self.headers["webhook-id"]
            status = state.begin(self.path, webhook_id, self.client_address[1])
            try:
                if status is None:
                    self._hold()
                    return
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            finally:
                state.end(self.path, webhook_id)

        def _hold(self) -> None:
            """Answer nothing until the deliverer gives up and closes the connection."""
            self.close_connection = True
            while not state.los.is_set():
                readable, _, _ = io_select.select([self.connection], [], [], 0.05)
                if readable and not self.connection.recv(1, socket.MSG_PEEK):
                    return

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.los.set()
        server.shutdown()
        server.server_close()


@dataclass
class Opzet:
    backend: Backend
    settings: NotificatiesSettings
    api: TestClient
    headers: dict[str, str]

    def abonneer(self, url: str) -> str:
        response = self.api.post(
            f"{BASE}/abonnementen",
            json={"callbackUrl": url, "types": [KENNISBANK]},
            headers=self.headers,
        )
        assert response.status_code == 201, response.text
        abonnement_id: str = response.json()["id"]
        return abonnement_id

    def log(self, abonnement_id: str) -> list[dict[str, Any]]:
        response = self.api.get(
            f"{BASE}/abonnementen/{abonnement_id}/afleveringen?pageSize=100", headers=self.headers
        )
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results


def bewaar(opzet: Opzet, aantal: int) -> list[str]:
    """Store `aantal` events as the consumer does; their ids in event order."""
    key_ring = load_key_ring(opzet.settings)

    async def run() -> list[str]:
        engine = create_engine_for(opzet.backend.target("notificaties"))
        sessions = session_factory(engine)
        ids = []
        try:
            for _ in range(aantal):
                event = envelope(KENNISBANK, slug="x")
                binnenkomst = gebeurtenis_service.lees(json.dumps(event).encode(), "{}")
                async with sessions() as session, session.begin():
                    await gebeurtenis_service.opslaan(session, key_ring, binnenkomst)
                ids.append(event["id"])
        finally:
            await engine.dispose()
        return ids

    return asyncio.run(run())


def bezorg(
    opzet: Opzet,
    *,
    workers: int,
    until: Callable[[], bool],
    timeout: float = 30,
    nalopen: float = 0.3,
) -> None:
    """Run `workers` deliverers, each with an engine of its own (as separate processes have),
    until `until()` holds; fail after `timeout` seconds. They run `nalopen` seconds more, so
    anything extra (a duplicate) shows up, then stop as on shutdown."""
    key_ring = load_key_ring(opzet.settings)

    async def run() -> None:
        engines = [create_engine_for(opzet.backend.target("notificaties")) for _ in range(workers)]
        bezorgers = [Bezorger(session_factory(e), opzet.settings, key_ring) for e in engines]
        tasks = [asyncio.create_task(b.run()) for b in bezorgers]
        try:
            deadline = time.monotonic() + timeout
            # In a thread: a condition that reads the database must not stop the loop of
            # a deliverer that holds SQLite's write lock.
            while not await asyncio.to_thread(until):
                if time.monotonic() > deadline:
                    raise AssertionError(f"deliveries not done within {timeout} s")
                await asyncio.sleep(0.05)
            await asyncio.sleep(nalopen)
        finally:
            for b in bezorgers:
                b.stop()
            await asyncio.gather(*tasks, return_exceptions=True)
            for e in engines:
                await e.dispose()

    asyncio.run(run())


@dataclass(frozen=True)
class Toestand:
    """What the database holds for one subscription: its breaker and its open deliveries."""

    fouten_op_rij: int
    onderbroken_tot: Any
    # (status, attempts) of each delivery, in event order
    afleveringen: list[tuple[str, int]]


def toestand(opzet: Opzet, abonnement_id: str) -> Toestand:
    async def run() -> Toestand:
        engine = create_engine_for(opzet.backend.target("notificaties"))
        try:
            async with session_factory(engine)() as session:
                abonnement = await session.get(Abonnement, uuid.UUID(abonnement_id))
                assert abonnement is not None
                rows = await session.execute(
                    select(col(Aflevering.status), col(Aflevering.pogingen))
                    .where(col(Aflevering.abonnement_id) == abonnement.id)
                    .order_by(col(Aflevering.volgnummer))
                )
                return Toestand(
                    abonnement.fouten_op_rij,
                    abonnement.onderbroken_tot,
                    [(str(s), int(p)) for s, p in rows.all()],
                )
        finally:
            await engine.dispose()

    return asyncio.run(run())
