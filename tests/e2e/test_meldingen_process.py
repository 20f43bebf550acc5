"""The meldingen service as a real uvicorn process behind the real dev identity provider."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import melding_body
from tests.support.processes import RunningProcess, start_process

BASE = "/api/meldingen/v1"


@pytest.fixture
def meldingen_process(backend: Backend, devidp: DevIdp, tmp_path: Path) -> Iterator[RunningProcess]:
    backend.migrate("meldingen")
    process = start_process(
        "meldingen",
        ["services.meldingen", "serve"],
        env={**backend.env(), "WEERBAAR_OIDC_ISSUER": devidp.issuer, "WEERBAAR_ENV": "test"},
        log_dir=tmp_path,
        ready_path="/health/ready",
    )
    yield process
    process.stop()


def test_create_list_and_change_status_over_http(
    meldingen_process: RunningProcess, devidp: DevIdp
) -> None:
    melder = devidp.headers("e2e-melder", ["melder"], "GM0599")
    handler = devidp.headers("e2e-handler", ["behandelaar"], "GM0599")
    with httpx.Client(base_url=meldingen_process.url, timeout=10) as http:
        assert http.post(f"{BASE}/meldingen", json=melding_body()).status_code == 401
        created = http.post(
            f"{BASE}/meldingen",
            json=melding_body(omschrijving="Dreigbrief in de brievenbus"),
            headers={**melder, "X-Request-ID": "e2e-trace-1"},
        )
        assert created.status_code == 201, created.text
        assert created.headers["x-request-id"] == "e2e-trace-1"
        melding = created.json()
        listed = http.get(
            f"{BASE}/meldingen", params={"kenmerk": melding["kenmerk"]}, headers=handler
        )
        assert listed.status_code == 200
        assert [m["id"] for m in listed.json()["results"]] == [melding["id"]]
        moved = http.post(
            f"{BASE}/meldingen/{melding['id']}/statuswijzigingen",
            json={"status": "in_behandeling", "toelichting": "Contact opgenomen"},
            headers=handler,
        )
        assert moved.status_code == 201
        assert moved.json()["status"] == "in_behandeling"
        ready = http.get("/health/ready")
        assert ready.status_code == 200
        assert ready.json()["database"] == "ok"
    log = meldingen_process.log()
    assert "e2e-trace-1" in log  # the request id reaches the service's log
    assert "Dreigbrief" not in log  # no report text in logs
    assert devidp.token("e2e-melder", ["melder"], "GM0599") not in log  # no tokens in logs
