"""`python -m services.meldingen relay` as its own process: publishes, then stops cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid

import pytest

from services.common.db import DatabaseTarget, create_engine_for, session_factory
from services.common.outbox import outbox_session_info, record_event
from services.meldingen.events import uitgaande_gebeurtenis
from tests.conftest import Backend
from tests.support.nats import NatsServer, read_stream
from tests.support.processes import ROOT
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e


async def _write(target: DatabaseTarget, marker: str, count: int) -> None:
    engine = create_engine_for(target, pool_size=1)
    sessions = session_factory(engine)
    # As a service with WEERBAAR_OUTBOX_RELAY=false configures its sessions.
    sessions.configure(
        info=outbox_session_info(public_base_url="http://127.0.0.1:8000", notify=True)
    )
    try:
        async with sessions() as session:
            for number in range(count):
                record_event(
                    session,
                    table=uitgaande_gebeurtenis,
                    service="meldingen",
                    type=marker,
                    subject=f"{marker}-{number}",
                    path="/x",
                    data={"nummer": number},
                    reach={},
                )
            await session.commit()
    finally:
        await engine.dispose()


def test_the_relay_command_publishes_the_outbox_and_stops_on_sigterm(
    backend: Backend, nats_server: NatsServer, tmp_path: object
) -> None:
    target = backend.migrate("meldingen")
    marker = "proces-" + uuid.uuid4().hex[:8]
    env = {
        **os.environ,
        **backend.env(),
        "WEERBAAR_ENV": "test",
        "WEERBAAR_NATS_URL": nats_server.url,
        # PostgreSQL: only the commit's NOTIFY can wake it in time (no poll to rescue it);
        # SQLite has no NOTIFY, so the relay apart polls there (development only).
        "WEERBAAR_OUTBOX_POLL_SECONDS": "3600" if backend.is_postgres else "0.2",
    }
    relay = subprocess.Popen(
        [sys.executable, "-m", "services.meldingen", "relay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        # The first batch may be written before the relay runs (its start-up drain takes it);
        # the second comes once it is up and idle, so only a wake-up can bring it in time.
        for batch in (f"{marker}a", f"{marker}b"):
            asyncio.run(_write(target, batch, 5))
            mine = wait_until(
                lambda b=batch: [r for r in read_stream(nats_server.url) if r.subject.endswith(b)],
                what="the relay process published",
            )
            assert sorted(r.event["subject"] for r in mine) == [f"{batch}-{n}" for n in range(5)]
    finally:
        relay.send_signal(signal.SIGTERM)
        output, _ = relay.communicate(timeout=20)
    assert relay.returncode == 0, output.decode(errors="replace")[-2000:]
