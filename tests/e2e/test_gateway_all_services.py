"""The whole stack as real processes: dev IdP, the three services and the gateway.

Proves what `make run` promises: the seeded knowledge base is public through the gateway,
home scans go through it with links pointing at it, and the merged document holds every
service.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.beveiliging.helpers import ADRES
from tests.conftest import Backend, DevIdp
from tests.support.stack import SERVICES, Stack, running_stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(
    backend: Backend, devidp: DevIdp, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    log_dir = tmp_path_factory.mktemp(f"stack-{backend.name}")
    with running_stack(backend, devidp.issuer, log_dir) as running:
        yield running


def test_seeded_knowledge_base_is_public_through_the_gateway(stack: Stack) -> None:
    with httpx.Client(base_url=stack.gateway.url, timeout=15) as http:
        artikelen = http.get("/api/kennisbank/v1/artikelen", params={"pageSize": 100})
        assert artikelen.status_code == 200
        assert artikelen.json()["count"] >= 15
        zoeken = http.get("/api/kennisbank/v1/zoeken", params={"q": "bedreigingen thuis"})
        assert zoeken.status_code == 200
        assert zoeken.json()["results"], "a question about threats finds articles"
        refused = http.get(
            "/api/kennisbank/v1/zoeken",
            params={"q": "aangifte"},
            headers={"Authorization": "Bearer not-a-token"},
        )
        assert refused.status_code == 401  # a presented token must be valid, also here


def test_home_scan_through_the_gateway_links_to_the_gateway(stack: Stack, devidp: DevIdp) -> None:
    melder = devidp.headers("stack-melder", ["melder"], "GM0344")
    with httpx.Client(base_url=stack.gateway.url, timeout=15) as http:
        catalogus = http.get("/api/beveiliging/v1/maatregelen", headers=melder)
        assert catalogus.status_code == 200
        created = http.post(
            "/api/beveiliging/v1/woningscans",
            json={"adres": ADRES, "reden": "Dreigbrief thuis bezorgd"},
            headers=melder,
        )
        assert created.status_code == 201, created.text
        assert created.headers["location"].startswith(stack.gateway.url)
        detail = http.get(created.headers["location"], headers=melder)
        assert detail.status_code == 200
        assert detail.json()["adres"]["straat"] == ADRES["straat"]
        listed = http.get("/api/beveiliging/v1/woningscans", headers=melder).json()
        assert all("adres" not in scan for scan in listed["results"])
        assert http.get("/api/beveiliging/v1/woningscans").status_code == 401


def test_merged_document_holds_every_service(stack: Stack) -> None:
    document = httpx.get(f"{stack.gateway.url}/api/openapi.json", timeout=15).json()
    prefixes = {path.split("/")[2] for path in document["paths"]}
    assert set(SERVICES) <= prefixes
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                # what the gateway itself answers when an upstream fails
                assert {"502", "503", "504"} <= set(operation["responses"]), (method, path)
    ready = httpx.get(f"{stack.gateway.url}/health/ready", timeout=15).json()
    assert ready["status"] == "ok"
