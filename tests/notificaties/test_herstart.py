"""A restart loses nothing: notificaties killed mid-delivery, events published while it is down.

Real processes: notificaties (`python -m services.notificaties serve`), a nats-server, the dev
IdP and a receiver on loopback. A database and a nats-server of its own, so no other
notificaties of the test session can deliver in its place.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import Backend, DevIdp
from tests.notificaties.conftest import BASE
from tests.notificaties.support import (
    Receiver,
    envelope,
    publish,
    start_nats,
)
from tests.support.nats import NatsServer
from tests.support.processes import ROOT, RunningProcess, free_port, start_process
from tests.support.waiting import wait_until

KENNISBANK = "nl.weerbaarbestuur.kennisbank.artikel-gepubliceerd"


@pytest.fixture
def eigen_nats(tmp_path: Path) -> Iterator[NatsServer]:
    server = start_nats(tmp_path / "nats")
    yield server
    server.stop()


def _start(
    backend: Backend, devidp: DevIdp, nats: NatsServer, port: int, log_dir: Path
) -> RunningProcess:
    env = {
        **backend.env(),
        "WEERBAAR_ENV": "test",
        "WEERBAAR_OIDC_ISSUER": devidp.issuer,
        "WEERBAAR_NATS_URL": nats.url,
        "WEERBAAR_WEBHOOK_ALLOWED_HOSTS": "localhost",
        "WEERBAAR_WEBHOOK_TIMEOUT_SECONDS": "5",
        "WEERBAAR_WEBHOOK_LEASE_SECONDS": "6",
        "WEERBAAR_WEBHOOK_RETRY_SCHEDULE": "0.2,0.2",
        # The dead process's pull request may already have taken the next message.
        "WEERBAAR_NATS_ACK_WAIT_SECONDS": "2",
    }
    return start_process(
        "notificaties", ["services.notificaties", "serve"], env=env, log_dir=log_dir, port=port
    )


def test_killed_mid_delivery_is_redelivered_after_restart(
    eigen_backend: Backend,
    eigen_nats: NatsServer,
    devidp: DevIdp,
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    eigen_backend.migrate("notificaties")
    port = free_port()
    proces = _start(eigen_backend, devidp, eigen_nats, port, tmp_path)
    headers = devidp.headers("partner-herstart", ["redacteur"], "OWB")
    url = receiver.url()
    hold = receiver.hold(url)
    try:
        created = httpx.post(
            f"{proces.url}{BASE}/abonnementen",
            json={"callbackUrl": url, "types": [KENNISBANK]},
            headers=headers,
            timeout=10,
        )
        assert created.status_code == 201, created.text
        eerste = publish(eigen_nats.url, envelope(KENNISBANK), {})
        wait_until(lambda: receiver.at(url), what="first attempt under way")
        proces.process.send_signal(
            signal.SIGKILL
        )  # mid-delivery: nothing logged, nothing acked after
        proces.process.wait(timeout=10)
        tweede = publish(eigen_nats.url, envelope(KENNISBANK), {})  # while notificaties is down
        hold.set()
        proces = _start(eigen_backend, devidp, eigen_nats, free_port(), tmp_path)

        def geleverd() -> list[str]:
            return [json.loads(r.body)["id"] for r in receiver.at(url)]

        wait_until(
            lambda: tweede["id"] in geleverd(), timeout=30, what="both delivered after restart"
        )
        # The first was attempted again (same webhook-id), then the second, in order.
        assert geleverd() == [eerste["id"], eerste["id"], tweede["id"]]
        log = httpx.get(
            f"{proces.url}{BASE}/abonnementen/{created.json()['id']}/afleveringen",
            headers=headers,
            timeout=10,
        ).json()
        statuses = sorted((p["gebeurtenisId"], p["status"]) for p in log["results"])
        assert statuses == sorted([(eerste["id"], "afgeleverd"), (tweede["id"], "afgeleverd")])
    finally:
        hold.set()
        proces.stop()


def test_consume_runs_apart_from_the_api_and_stops_cleanly(
    eigen_backend: Backend,
    eigen_nats: NatsServer,
    devidp: DevIdp,
    receiver: Receiver,
    tmp_path: Path,
) -> None:
    eigen_backend.migrate("notificaties")
    env = {
        **os.environ,
        **eigen_backend.env(),
        "WEERBAAR_ENV": "test",
        "WEERBAAR_OIDC_ISSUER": devidp.issuer,
        "WEERBAAR_NATS_URL": eigen_nats.url,
        "WEERBAAR_WEBHOOK_ALLOWED_HOSTS": "localhost",
    }
    api = start_process(
        "notificaties-api",
        ["services.notificaties", "serve"],
        env={**env, "WEERBAAR_WORKER": "false"},
        log_dir=tmp_path,
    )
    with (tmp_path / "consume.log").open("wb") as log:
        consume = subprocess.Popen(
            [sys.executable, "-m", "services.notificaties", "consume"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        headers = devidp.headers("partner-apart", ["redacteur"], "OWB")
        url = receiver.url()
        created = httpx.post(
            f"{api.url}{BASE}/abonnementen",
            json={"callbackUrl": url, "types": [KENNISBANK]},
            headers=headers,
            timeout=10,
        )
        assert created.status_code == 201, created.text
        event = publish(eigen_nats.url, envelope(KENNISBANK), {})
        [ontvangen] = wait_until(lambda: receiver.at(url), timeout=60, what="delivered by consume")
        assert ontvangen.headers["webhook-id"] == event["id"]
        consume.send_signal(signal.SIGTERM)
        assert consume.wait(timeout=20) == 0
    finally:
        if consume.poll() is None:
            consume.kill()
        api.stop()
