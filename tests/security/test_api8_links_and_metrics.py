"""API8 security misconfiguration: poisoned links and public metrics (issue 18, 8 and 9).

Finding 8: through the gateway `Host: evil.example` ended up in `Location` and `next`, and a
service believed X-Forwarded-Host/-Proto/-Prefix from anyone who reached it. Links now come
from the configured public base URL, else from the gateway's own address; a service believes
forwarded headers only from a peer in WEERBAAR_FORWARDED_ALLOW_IPS.
Finding 9: anonymous `/metrics` on the public port showed when a report was filed. Metrics
are served on a listener of their own (loopback by default), never on the public port.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.config import GatewaySettings
from tests.conftest import Backend, DevIdp
from tests.e2e.gateway_processes import GatewayProcess, start_gateway
from tests.meldingen.conftest import melding_body
from tests.support.processes import RunningProcess, start_process

pytestmark = pytest.mark.e2e

LIST = "/api/meldingen/v1/meldingen"
EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Prefix": "/x"}


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("api8-links")


def _meldingen(backend: Backend, devidp: DevIdp, logs: Path, **env: str) -> RunningProcess:
    backend.migrate("meldingen")
    return start_process(
        "meldingen",
        ["services.meldingen", "serve"],
        env={
            **backend.env(),
            "WEERBAAR_OIDC_ISSUER": devidp.issuer,
            "WEERBAAR_ENV": "test",
            **env,
        },
        log_dir=logs,
        ready_path="/health/ready",
    )


@pytest.fixture(scope="module")
def meldingen(sqlite_only: Backend, devidp: DevIdp, logs: Path) -> Iterator[RunningProcess]:
    """As `make run` starts it: forwarded headers believed from loopback (the gateway)."""
    process = _meldingen(sqlite_only, devidp, logs)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def gw(devidp: DevIdp, meldingen: RunningProcess, logs: Path) -> Iterator[GatewayProcess]:
    process = start_gateway(
        logs, devidp.issuer, {"meldingen": meldingen.url}, ready_path="/health/ready"
    )
    yield process
    process.stop()


def _two_reports(base: str, headers: dict[str, str]) -> tuple[str, str]:
    """File two meldingen (Location of the second) and list them by one (its `next`)."""
    with httpx.Client(base_url=base, timeout=10) as http:
        http.post(LIST, json=melding_body(), headers=headers)
        created = http.post(LIST, json=melding_body(), headers=headers)
        assert created.status_code == 201, created.text
        page = http.get(LIST, params={"pageSize": 1}, headers=headers)
        assert page.status_code == 200, page.text
    return created.headers["location"], page.json()["next"]


def test_a_clients_host_never_reaches_links_through_the_gateway(
    gw: GatewayProcess, devidp: DevIdp
) -> None:
    headers = {**devidp.headers("api8-host", ["melder"]), **EVIL}
    location, following = _two_reports(gw.url, headers)
    own = f"http://127.0.0.1:{gw.port}{LIST}"
    assert location.startswith(f"{own}/"), location
    assert following.startswith(f"{own}?"), following
    # A host on the allow-list (loopback names by default) is kept, port and all.
    local = {**devidp.headers("api8-local", ["melder"]), "Host": f"localhost:{gw.port}"}
    location, _ = _two_reports(gw.url, local)
    assert location.startswith(f"http://localhost:{gw.port}{LIST}/"), location


def test_links_through_the_gateway_use_its_public_base_url(
    devidp: DevIdp, meldingen: RunningProcess, logs: Path
) -> None:
    public = "https://api.weerbaar.example/bestuur"
    process = start_gateway(
        logs, devidp.issuer, {"meldingen": meldingen.url}, public_base_url=public
    )
    try:
        headers = {**devidp.headers("api8-base", ["melder"]), **EVIL}
        location, following = _two_reports(process.url, headers)
    finally:
        process.stop()
    assert location.startswith(f"{public}{LIST}/"), location
    assert following.startswith(f"{public}{LIST}?"), following


def test_a_service_believes_forwarded_headers_only_from_trusted_proxies(
    sqlite_only: Backend, devidp: DevIdp, meldingen: RunningProcess, logs: Path
) -> None:
    forwarded = {"X-Forwarded-Host": "gateway.example", "X-Forwarded-Proto": "https"}
    # From a trusted peer (loopback, the default) the gateway's headers make the links ...
    trusted, _ = _two_reports(
        meldingen.url, {**devidp.headers("api8-trusted", ["melder"]), **forwarded}
    )
    assert trusted.startswith(f"https://gateway.example{LIST}/"), trusted
    # ... from anyone else they are ignored, and so is their Host.
    strict = _meldingen(sqlite_only, devidp, logs, WEERBAAR_FORWARDED_ALLOW_IPS="192.0.2.1")
    try:
        headers = {**devidp.headers("api8-direct", ["melder"]), **forwarded, **EVIL}
        location, following = _two_reports(strict.url, headers)
    finally:
        strict.stop()
    own = f"http://127.0.0.1:{strict.port}{LIST}"
    assert location.startswith(f"{own}/"), location
    assert following.startswith(f"{own}?"), following


def test_metrics_are_never_on_the_public_port(gw: GatewayProcess) -> None:
    public = httpx.get(f"{gw.url}/metrics", timeout=10)
    assert public.status_code in (401, 404), public.text  # a path like any other there
    assert "gateway_requests_total" not in public.text
    scraped = httpx.get(gw.metrics_url, timeout=10)
    assert scraped.status_code == 200
    assert "gateway_requests_total" in scraped.text
    # The metrics listener serves metrics and nothing else.
    base = gw.metrics_url.removesuffix("/metrics")
    for path in ("/health/live", LIST, "/api/openapi.json"):
        assert httpx.get(f"{base}{path}", timeout=10).status_code == 404, path


def test_metrics_listen_on_loopback_unless_configured() -> None:
    settings = GatewaySettings(_env_file=None)  # type: ignore[call-arg]
    assert settings.metrics_host == "127.0.0.1"
    assert settings.metrics_port != settings.port
    assert not settings.is_public("GET", "/metrics")
