"""HEAD through the gateway, as partners, caches and monitoring probe: real processes.

The gateway forwards HEAD as HEAD; the service answers it as GET without the body. Status,
`Content-Length`, `ETag` and reach are GET's, directly and through the gateway alike.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import httpx
import pytest
from gateway_processes import GatewayProcess, start_gateway, start_meldingen

from tests.conftest import Backend, DevIdp
from tests.kennisbank.conftest import artikel_body
from tests.meldingen.conftest import melding_body
from tests.support.head import PER_ANSWER, assert_head_is_get
from tests.support.processes import RunningProcess, start_process

pytestmark = pytest.mark.e2e

# Differ between any two answers: the time, the request, the timing and the rate budget.
# Through the gateway these differ between any two answers too.
THROUGH_GATEWAY = PER_ANSWER | {"server-timing", "ratelimit-remaining", "ratelimit-reset"}
head_is_get = partial(assert_head_is_get, varying=THROUGH_GATEWAY)


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gateway-head")


@pytest.fixture(scope="module")
def meldingen(backend: Backend, devidp: DevIdp, logs: Path) -> Iterator[RunningProcess]:
    process = start_meldingen(backend, devidp.issuer, logs / backend.name)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def kennisbank(backend: Backend, devidp: DevIdp, logs: Path) -> Iterator[RunningProcess]:
    backend.migrate("kennisbank")
    process = start_process(
        "kennisbank",
        ["services.kennisbank", "serve"],
        env={**backend.env(), "WEERBAAR_OIDC_ISSUER": devidp.issuer, "WEERBAAR_ENV": "test"},
        log_dir=logs / backend.name,
        ready_path="/health/ready",
    )
    yield process
    process.stop()


@pytest.fixture(scope="module")
def gw(
    backend: Backend,
    devidp: DevIdp,
    meldingen: RunningProcess,
    kennisbank: RunningProcess,
    logs: Path,
) -> Iterator[GatewayProcess]:
    process = start_gateway(
        logs / backend.name,
        devidp.issuer,
        {"meldingen": meldingen.url, "kennisbank": kennisbank.url},
        ready_path="/health/ready",
        rate_limits=json.dumps({"*": "1000/1000", "kennisbank-publiek": "1000/1000"}),
    )
    yield process
    process.stop()


def test_head_of_a_melding_through_the_gateway_and_directly(
    gw: GatewayProcess, meldingen: RunningProcess, devidp: DevIdp, unique_org: Callable[[], str]
) -> None:
    org = unique_org()
    melder = devidp.headers(f"head-melder-{org}", ["melder"], org)
    handler = devidp.headers(f"head-handler-{org}", ["behandelaar"], org)
    stranger = devidp.headers(f"head-stranger-{org}", ["behandelaar"], "GM0003")
    with httpx.Client(base_url=gw.url, timeout=10) as http:
        created = http.post("/api/meldingen/v1/meldingen", json=melding_body(), headers=melder)
        assert created.status_code == 201, created.text
        path = f"/api/meldingen/v1/meldingen/{created.json()['id']}"
        for base in (gw.url, meldingen.url):
            with httpx.Client(base_url=base, timeout=10) as client:
                detail = head_is_get(client, path, handler)
                assert detail.status_code == 200
                assert detail.headers["etag"]
                assert head_is_get(client, path, stranger).status_code == 404
                refused = head_is_get(client, path)
                assert refused.status_code == 401
                assert refused.headers["www-authenticate"].startswith("Bearer")
                listed = head_is_get(client, "/api/meldingen/v1/meldingen", handler)
                assert listed.status_code == 200
        not_allowed = http.delete("/api/meldingen/v1/meldingen", headers=handler)
        assert not_allowed.status_code == 405
        assert {m.strip() for m in not_allowed.headers["allow"].split(",")} == {
            "GET",
            "HEAD",
            "POST",
        }


def test_public_knowledge_answers_head_through_the_gateway_without_a_token(
    gw: GatewayProcess, devidp: DevIdp
) -> None:
    redacteur = devidp.headers("head-redacteur", ["redacteur"], "OWB")
    with httpx.Client(base_url=gw.url, timeout=10) as http:
        created = http.post("/api/kennisbank/v1/artikelen", json=artikel_body(), headers=redacteur)
        assert created.status_code == 201, created.text
        path = f"/api/kennisbank/v1/artikelen/{created.json()['slug']}"
        assert head_is_get(http, path).status_code == 404  # a concept
        moved = http.post(
            f"{path}/statuswijzigingen", json={"status": "gepubliceerd"}, headers=redacteur
        )
        assert moved.status_code == 201, moved.text
        public = head_is_get(http, path)
        assert public.status_code == 200
        assert public.headers["etag"]
        assert (
            head_is_get(
                http, "/api/kennisbank/v1/zoeken?q=dreigbrief", varying=THROUGH_GATEWAY
            ).status_code
            == 200
        )
        assert (
            head_is_get(http, "/api/kennisbank/v1/artikelen", varying=THROUGH_GATEWAY).status_code
            == 200
        )


def test_the_gateways_own_routes_answer_head(gw: GatewayProcess) -> None:
    with httpx.Client(base_url=gw.url, timeout=10) as http:
        for path in ("/health/live", "/health/ready", "/api/docs", "/api/docs/init.js"):
            assert head_is_get(http, path).status_code == 200, path
        # The merged document is rebuilt as upstreams come and go; its head still matches.
        merged = http.head("/api/openapi.json")
        assert merged.status_code == 200
        assert merged.content == b""
        assert int(merged.headers["content-length"]) > 0
        assert http.head("/api/nergens").status_code == 401  # unknown, without a token
