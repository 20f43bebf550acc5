"""Runs of deliveries: a subscription's due events go out back to back on one claim.

Real databases (a fresh one per test, so no other deliverer of the session takes part), real
deliverers, and a real HTTP/1.1 receiver on loopback that keeps connections alive. Events
are stored the way the consumer stores them before a deliverer starts, so runs are full.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.common.crypto import load_key_ring
from services.common.db import create_engine_for, session_factory
from services.notificaties.aflevering.bezorger import Bezorger
from services.notificaties.app import create_app
from services.notificaties.config import NotificatiesSettings
from services.notificaties.gebeurtenis import service as gebeurtenis_service
from tests.conftest import Backend, DevIdp
from tests.notificaties.conftest import BASE, FAST
from tests.notificaties.support import envelope
from tests.support import postgres

KENNISBANK = "nl.weerbaarbestuur.kennisbank.artikel-gepubliceerd"


@dataclass
class Verzoek:
    path: str
    webhook_id: str
    poort: int
    status: int
    at: float


@dataclass
class Ontvanger:
    """Answers 200 unless told otherwise; notes whether one delivery was ever in flight twice."""

    port: int = 0
    verzoeken: list[Verzoek] = field(default_factory=list)
    # (path, webhook-id) → statuses to answer its first attempts with
    script: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    delay: float = 0.0
    in_flight: set[str] = field(default_factory=set)
    overlaps: list[str] = field(default_factory=list)
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


@pytest.fixture
def ontvanger() -> Iterator[Ontvanger]:
    state = Ontvanger()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            webhook_id = self.headers["webhook-id"]
            # One event goes to every subscription: a delivery is (subscription path, id).
            delivery = f"{self.path} {webhook_id}"
            with state.lock:
                if delivery in state.in_flight:
                    state.overlaps.append(delivery)
                state.in_flight.add(delivery)
                queue = state.script.get((self.path, webhook_id))
                status = queue.pop(0) if queue else 200
            if state.delay:
                time.sleep(state.delay)
            with state.lock:
                state.in_flight.discard(delivery)
                state.verzoeken.append(
                    Verzoek(
                        self.path, webhook_id, int(self.client_address[1]), status, time.monotonic()
                    )
                )
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def eigen_backend(
    backend: Backend, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Backend]:
    if not backend.is_postgres:
        yield Backend(f"sqlite-reeks-{uuid.uuid4().hex[:8]}", tmp_path / "db")
        return
    admin = request.getfixturevalue("postgres_admin_url")
    url = postgres.create_database(admin)
    try:
        yield Backend(f"postgres-reeks-{uuid.uuid4().hex[:8]}", tmp_path / "db", url)
    finally:
        postgres.drop_database(admin, url)


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


@pytest.fixture
def opzet(eigen_backend: Backend, devidp: DevIdp) -> Iterator[Opzet]:
    target = eigen_backend.migrate("notificaties")
    settings = NotificatiesSettings(
        **eigen_backend.settings_kwargs(),
        oidc_issuer=devidp.issuer,
        env="test",
        worker=False,  # the deliverers of the test are the only ones
        webhook_allowed_hosts=("localhost",),
        **{**FAST, "webhook_lease_seconds": 10.0, "webhook_batch_size": 10},
    )
    with TestClient(create_app(settings, target), base_url="http://testserver") as api:
        headers = devidp.headers(f"partner-{uuid.uuid4().hex[:8]}", ["redacteur"], "OWB")
        yield Opzet(eigen_backend, settings, api, headers)


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


def bezorg(opzet: Opzet, *, workers: int, until: Callable[[], bool], timeout: float = 30) -> None:
    """Run `workers` deliverers, each with an engine of its own (as separate processes have),
    until `until()` holds; fail after `timeout` seconds."""
    key_ring = load_key_ring(opzet.settings)

    async def run() -> None:
        engines = [create_engine_for(opzet.backend.target("notificaties")) for _ in range(workers)]
        bezorgers = [Bezorger(session_factory(e), opzet.settings, key_ring) for e in engines]
        tasks = [asyncio.create_task(b.run()) for b in bezorgers]
        try:
            deadline = time.monotonic() + timeout
            while not until():
                if time.monotonic() > deadline:
                    raise AssertionError(f"deliveries not done within {timeout} s")
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)  # anything extra (a duplicate) would show up now
        finally:
            for b in bezorgers:
                b.stop()
            await asyncio.gather(*tasks, return_exceptions=True)
            for e in engines:
                await e.dispose()

    asyncio.run(run())


def test_a_run_keeps_event_order_and_reuses_connections(opzet: Opzet, ontvanger: Ontvanger) -> None:
    namen = ["a", "b"]
    abonnementen = {naam: opzet.abonneer(ontvanger.url(naam)) for naam in namen}
    ids = bewaar(opzet, 35)  # several runs of at most 10 each
    bezorg(opzet, workers=1, until=lambda: ontvanger.count() >= 70)
    for naam in namen:
        assert ontvanger.ids(naam) == ids  # each once, in event order
        log = opzet.log(abonnementen[naam])
        assert sorted((p["gebeurtenisId"], p["poging"], p["status"]) for p in log) == sorted(
            (i, 1, "afgeleverd") for i in ids
        )
    # Kept-alive connections: a handful for 70 deliveries, not one each.
    poorten = {v.poort for v in ontvanger.verzoeken}
    assert len(poorten) <= 4, poorten


def test_a_failure_mid_run_leaves_the_rest_for_after_its_retry(
    opzet: Opzet, ontvanger: Ontvanger
) -> None:
    abonnement_id = opzet.abonneer(ontvanger.url("r"))
    ids = bewaar(opzet, 8)
    ontvanger.script[("/r", ids[3])] = [500]  # the fourth of a run of eight fails once
    bezorg(opzet, workers=1, until=lambda: ontvanger.count() >= 9)
    # The three before it are not sent again; nothing after it passes it; then all in order.
    assert ontvanger.ids("r") == [*ids[:4], *ids[3:]]
    assert ontvanger.ids("r", geslaagd=True) == ids
    log = opzet.log(abonnement_id)
    pogingen = sorted((p["gebeurtenisId"], p["poging"], p["status"], p["httpStatus"]) for p in log)
    assert pogingen == sorted(
        [(i, 1, "afgeleverd", 200) for i in ids if i != ids[3]]
        + [(ids[3], 1, "opnieuw_gepland", 500), (ids[3], 2, "afgeleverd", 200)]
    )


def test_two_deliverers_never_send_one_delivery_twice(opzet: Opzet, ontvanger: Ontvanger) -> None:
    namen = [f"s{n}" for n in range(4)]
    for naam in namen:
        opzet.abonneer(ontvanger.url(naam))
    ids = bewaar(opzet, 40)
    ontvanger.delay = 0.002  # widen the window in which a second sender could overlap
    bezorg(opzet, workers=2, until=lambda: ontvanger.count() >= 160, timeout=60)
    assert ontvanger.overlaps == []
    for naam in namen:
        assert ontvanger.ids(naam) == ids  # each exactly once, in event order


def test_switching_off_stops_a_run_within_about_a_second(
    opzet: Opzet, ontvanger: Ontvanger
) -> None:
    abonnement_id = opzet.abonneer(ontvanger.url("uit"))
    ids = bewaar(opzet, 60)
    ontvanger.delay = 0.1  # a run of ten takes a second
    uitgezet: list[float] = []

    def klaar() -> bool:
        if not uitgezet and ontvanger.count() >= 3:
            response = opzet.api.patch(
                f"{BASE}/abonnementen/{abonnement_id}",
                json={"actief": False},
                headers=opzet.headers,
            )
            assert response.status_code == 200, response.text
            uitgezet.append(time.monotonic())
        return bool(uitgezet) and time.monotonic() > uitgezet[0] + 3

    bezorg(opzet, workers=1, until=klaar)
    ontvangen = ontvanger.ids("uit")
    assert ontvangen == ids[: len(ontvangen)]  # in order, nothing twice
    assert len(ontvangen) < 20
    # The run looks again each second; one attempt may be under way when it does.
    assert max(v.at for v in ontvanger.verzoeken) < uitgezet[0] + 1.5
