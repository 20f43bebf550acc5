"""Interoperability: gateway and meldingen trusting a certified OpenID provider (oidc-provider 8).

The provider runs from ``oidc_provider/server.mjs``; the npm package is installed from that
folder's package-lock.json (``npm ci``). Skipped, with the reason printed, only where Node is
absent; in CI it is required.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gateway_processes import start_gateway

from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import melding_body
from tests.support.processes import RunningProcess, free_port, start_process

pytestmark = pytest.mark.e2e

PROVIDER_DIR = Path(__file__).with_name("oidc_provider")
CLIENT = ("weerbaar-partner", "interop-secret-that-is-long-enough")


def _install() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        reason = "Node.js/npm not installed: the oidc-provider interop test needs them"
        print(f"\nskipping: {reason}")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(
            [npm, "ci", "--prefix", str(PROVIDER_DIR), "--no-audit", "--no-fund", "--silent"],
            check=True,
            timeout=600,
        )
    return Path(node)


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    node = _install()
    port = free_port()
    log = (tmp_path_factory.mktemp("oidc-provider") / "provider.log").open("wb")
    process = subprocess.Popen(
        [str(node), "server.mjs", str(port)], cwd=PROVIDER_DIR, stdout=log, stderr=subprocess.STDOUT
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            assert process.poll() is None, "oidc-provider exited"
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "oidc-provider did not start"
            time.sleep(0.1)
        yield issuer
    finally:
        process.terminate()
        process.wait(10)
        log.close()


@pytest.fixture(scope="module")
def stack(
    provider: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RunningProcess, RunningProcess]]:
    data = tmp_path_factory.mktemp("interop")
    backend = Backend("sqlite", data)
    backend.migrate("meldingen")
    meldingen = start_process(
        "meldingen",
        ["services.meldingen", "serve"],
        env={**backend.env(), "WEERBAAR_OIDC_ISSUER": provider, "WEERBAAR_ENV": "test"},
        log_dir=data,
        ready_path="/health/ready",
    )
    gateway = start_gateway(
        data, provider, {"meldingen": meldingen.url}, ready_path="/health/ready"
    )
    yield gateway, meldingen
    gateway.stop()
    meldingen.stop()


def _client_credentials_token(issuer: str) -> str:
    response = httpx.post(
        f"{issuer}/token",
        data={"grant_type": "client_credentials", "scope": "api", "resource": "urn:weerbaar:api"},
        auth=CLIENT,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def test_a_token_from_a_certified_provider_works_through_the_gateway(
    provider: str, stack: tuple[RunningProcess, RunningProcess]
) -> None:
    gateway, _ = stack
    token = _client_credentials_token(provider)
    headers = {"Authorization": f"Bearer {token}"}
    listed = httpx.get(f"{gateway.url}/api/meldingen/v1/meldingen", headers=headers)
    assert listed.status_code == 200, listed.text
    created = httpx.post(
        f"{gateway.url}/api/meldingen/v1/meldingen",
        json=melding_body(organisatie="GM0363"),
        headers=headers,
    )
    assert created.status_code == 201, created.text
    assert created.headers["location"].startswith(gateway.url)


def test_a_dev_issuer_token_is_refused_when_another_provider_is_trusted(
    stack: tuple[RunningProcess, RunningProcess], devidp: DevIdp
) -> None:
    gateway, meldingen = stack
    headers = devidp.headers("interop-intruder", ["behandelaar"], "OWB")
    for base in (gateway.url, meldingen.url):
        response = httpx.get(f"{base}/api/meldingen/v1/meldingen", headers=headers)
        assert response.status_code == 401, base
