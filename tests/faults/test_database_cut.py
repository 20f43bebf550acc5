"""The database connection cut mid-load, through a TCP proxy the test controls.

A real meldingen process talks to a fresh PostgreSQL database through `TcpProxy`. Clients
create meldingen with an `Idempotency-Key` and retry on any failure with the same key. The
proxy is cut (every connection dropped, new ones refused): the service reports not-ready;
the proxy comes back: the service is ready again without a restart, and every melding that
was answered 201 is there exactly once.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import Backend, DevIdp
from tests.faults.tcp_proxy import TcpProxy
from tests.meldingen.conftest import melding_body
from tests.support import postgres
from tests.support.processes import RunningProcess, start_process
from tests.support.waiting import wait_until

BASE = "/api/meldingen/v1"
CLIENTS = 4


@pytest.fixture
def proxied_meldingen(
    postgres_admin_url: str, devidp: DevIdp, tmp_path: Path
) -> Iterator[tuple[RunningProcess, TcpProxy]]:
    database_url = postgres.create_database(postgres_admin_url, prefix="wb_fault")
    try:
        backend = Backend("fault-pg", tmp_path, database_url)
        backend.migrate("meldingen")  # directly against the real port
        real = make_url(database_url)
        with TcpProxy(real.host or "127.0.0.1", real.port or 5432) as proxy:
            proxied = real.set(host="127.0.0.1", port=proxy.port)
            env = {
                **backend.env(),
                "WEERBAAR_DATABASE_URL": proxied.render_as_string(hide_password=False),
                "WEERBAAR_OIDC_ISSUER": devidp.issuer,
                "WEERBAAR_ENV": "test",
            }
            process = start_process(
                "meldingen",
                ["services.meldingen", "serve"],
                env=env,
                log_dir=tmp_path,
                ready_path="/health/ready",
            )
            try:
                yield process, proxy
            finally:
                process.stop()
    finally:
        postgres.drop_database(postgres_admin_url, database_url)


class Reporter(threading.Thread):
    """Creates meldingen until told to stop; every key is retried until it is answered 201."""

    def __init__(self, url: str, headers: dict[str, str], stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.url, self.headers, self.stop = url, headers, stop
        self.created: dict[str, list[str]] = {}  # key → ids of every 201 answer for it
        self.failures = 0
        self.unfinished: list[str] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=5) as http:
            while not self.stop.is_set():
                self._create(http, f"k-{uuid.uuid4().hex}", deadline=time.monotonic() + 60)

    def _create(self, http: httpx.Client, key: str, deadline: float) -> None:
        body = melding_body(omschrijving=f"Melding onder storing {key}")
        while time.monotonic() < deadline:
            try:
                response = http.post(
                    f"{BASE}/meldingen",
                    json=body,
                    headers={**self.headers, "Idempotency-Key": key},
                )
            except httpx.HTTPError:
                response = None
            if response is not None and response.status_code == 201:
                self.created.setdefault(key, []).append(response.json()["id"])
                return
            if response is not None and response.status_code not in (409, 500, 502, 503, 504):
                raise AssertionError(f"unexpected {response.status_code}: {response.text}")
            self.failures += 1
            time.sleep(0.2)
        self.unfinished.append(key)


def _ready_status(url: str) -> int:
    try:
        return httpx.get(f"{url}/health/ready", timeout=5).status_code
    except httpx.HTTPError:
        return 0


@pytest.mark.postgres_only
def test_database_cut_mid_load_loses_nothing_and_recovers_without_restart(
    proxied_meldingen: tuple[RunningProcess, TcpProxy],
    devidp: DevIdp,
    unique_org: Callable[[], str],
) -> None:
    process, proxy = proxied_meldingen
    org = unique_org()
    stop = threading.Event()
    reporters = [
        Reporter(process.url, devidp.headers(f"cut-melder-{i}", ["melder"], org), stop)
        for i in range(CLIENTS)
    ]

    def created() -> int:
        return sum(len(r.created) for r in reporters)

    def failures() -> int:
        return sum(r.failures for r in reporters)

    for reporter in reporters:
        reporter.start()
    wait_until(lambda: created() >= 2 * CLIENTS, what="load before the cut", describe=created)
    before_cut = created()

    proxy.cut()
    wait_until(lambda: _ready_status(process.url) == 503, what="/health/ready answering 503")
    # Clients keep failing and retrying (same keys) while the database is gone.
    wait_until(lambda: failures() >= CLIENTS, what="the cut reaching the clients")
    proxy.restore()
    restored = time.monotonic()
    wait_until(lambda: _ready_status(process.url) == 200, what="ready again after restore")
    recovery = time.monotonic() - restored
    at_recovery = created()
    wait_until(
        lambda: created() >= at_recovery + 2 * CLIENTS,
        what="meldingen created again after recovery",
        describe=created,
    )
    stop.set()
    for reporter in reporters:
        reporter.join(timeout=90)

    assert process.process.poll() is None  # the same process throughout: no restart
    assert before_cut > 0, "no load before the cut"
    assert all(not r.unfinished for r in reporters), [r.unfinished for r in reporters]
    assert sum(r.failures for r in reporters) > 0, "the cut did not reach the clients"
    after = sum(len(r.created) for r in reporters)
    assert after > before_cut, "nothing created after recovery"

    handler = devidp.headers("cut-handler", ["behandelaar"], org)
    with httpx.Client(base_url=process.url, timeout=10) as http:
        for i, reporter in enumerate(reporters):
            melder = devidp.headers(f"cut-melder-{i}", ["melder"], org)
            ids = [ids[0] for ids in reporter.created.values()]
            # one 201 per key (a retry after a lost answer is a replay of the same melding)
            assert all(len(set(v)) == 1 for v in reporter.created.values())
            assert len(set(ids)) == len(ids), "two keys gave the same melding"
            for melding_id in ids:
                assert http.get(f"{BASE}/meldingen/{melding_id}", headers=melder).status_code == 200
            listed = http.get(f"{BASE}/meldingen", params={"pageSize": 100}, headers=melder)
            assert listed.status_code == 200
            assert listed.json()["count"] == len(ids), "a melding was duplicated or lost"
        everything = http.get(f"{BASE}/meldingen", params={"pageSize": 1}, headers=handler)
        assert everything.json()["count"] == after
        kenmerken = set()
        page = 1
        while True:
            chunk = http.get(
                f"{BASE}/meldingen", params={"pageSize": 100, "page": page}, headers=handler
            ).json()
            kenmerken.update(m["kenmerk"] for m in chunk["results"])
            if not chunk["next"]:
                break
            page += 1
        assert len(kenmerken) == after, "kenmerken not unique"
    print(
        f"created {after} meldingen ({before_cut} before the cut), "
        f"ready again {recovery:.1f}s after restore"
    )
