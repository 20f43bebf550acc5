"""notificaties behind the gateway, as real processes: routed, merged into /api/openapi.json,
and subscription writes rate-limited in their own group."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import Backend, DevIdp
from tests.e2e.gateway_processes import start_gateway
from tests.notificaties.conftest import BASE
from tests.support.processes import RunningProcess, start_process


@pytest.fixture
def gateway(backend: Backend, devidp: DevIdp, tmp_path: Path) -> Iterator[RunningProcess]:
    backend.migrate("notificaties")
    env = {
        **backend.env(),
        "WEERBAAR_ENV": "test",
        "WEERBAAR_OIDC_ISSUER": devidp.issuer,
        "WEERBAAR_WORKER": "false",
        "WEERBAAR_WEBHOOK_ALLOWED_HOSTS": "localhost",
    }
    notificaties = start_process(
        "notificaties", ["services.notificaties", "serve"], env=env, log_dir=tmp_path
    )
    try:
        front = start_gateway(tmp_path, devidp.issuer, {"notificaties": notificaties.url})
        try:
            yield front
        finally:
            front.stop()
    finally:
        notificaties.stop()


def test_subscribing_through_the_gateway(gateway: RunningProcess, devidp: DevIdp) -> None:
    headers = devidp.headers(f"partner-{uuid.uuid4().hex[:8]}", ["behandelaar"], "GM0363")
    body = {"callbackUrl": "http://localhost:9/h", "types": ["nl.weerbaarbestuur.meldingen.*"]}
    created = httpx.post(
        f"{gateway.url}{BASE}/abonnementen", json=body, headers=headers, timeout=10
    )
    assert created.status_code == 201, created.text
    assert created.headers["Location"].startswith(f"{gateway.url}{BASE}/abonnementen/")
    listed = httpx.get(created.headers["Location"], headers=headers, timeout=10)
    assert listed.status_code == 200
    assert "secret" not in listed.json()

    merged = httpx.get(f"{gateway.url}/api/openapi.json", timeout=10).json()
    assert f"{BASE}/abonnementen" in merged["paths"]
    assert f"{BASE}/abonnementen/{{abonnementId}}/afleveringen" in merged["paths"]

    # Subscription writes have their own, narrow bucket (burst 10).
    statuses = [
        httpx.post(
            f"{gateway.url}{BASE}/abonnementen", json=body, headers=headers, timeout=10
        ).status_code
        for _ in range(14)
    ]
    assert 429 in statuses
    # Reading is in the service's general group and still answers.
    assert (
        httpx.get(f"{gateway.url}{BASE}/abonnementen", headers=headers, timeout=10).status_code
        == 200
    )
