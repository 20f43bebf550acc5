"""Identity provider, gateway, meldingen and its database as real processes, on both backends."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gateway_processes import start_gateway
from openapi_spec_validator import validate

from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import melding_body
from tests.support.processes import RunningProcess, start_process
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

BASE = "/api/meldingen/v1"


def _start_meldingen(
    backend: Backend, devidp: DevIdp, log_dir: Path, port: int | None = None
) -> RunningProcess:
    backend.migrate("meldingen")
    return start_process(
        "meldingen",
        ["services.meldingen", "serve"],
        env={**backend.env(), "WEERBAAR_OIDC_ISSUER": devidp.issuer, "WEERBAAR_ENV": "test"},
        log_dir=log_dir,
        port=port,
        ready_path="/health/ready",
    )


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gateway-meldingen")


@pytest.fixture(scope="module")
def meldingen(backend: Backend, devidp: DevIdp, logs: Path) -> Iterator[RunningProcess]:
    process = _start_meldingen(backend, devidp, logs / backend.name)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def gw(
    backend: Backend, devidp: DevIdp, meldingen: RunningProcess, logs: Path
) -> Iterator[RunningProcess]:
    process = start_gateway(
        logs / backend.name,
        devidp.issuer,
        {"meldingen": meldingen.url},
        ready_path="/health/ready",
        rate_limits=json.dumps({"*": "1000/1000"}),
    )
    yield process
    process.stop()


def test_report_flow_through_the_gateway(
    gw: RunningProcess, meldingen: RunningProcess, devidp: DevIdp, unique_org: object
) -> None:
    org = unique_org()  # type: ignore[operator]
    melder = devidp.headers(f"gw-melder-{org}", ["melder"], org)
    handler = devidp.headers(f"gw-handler-{org}", ["behandelaar"], org)
    with httpx.Client(base_url=gw.url, timeout=10) as http:
        earlier = http.post(f"{BASE}/meldingen", json=melding_body(), headers=melder)
        assert earlier.status_code == 201, earlier.text
        created = http.post(
            f"{BASE}/meldingen",
            json=melding_body(omschrijving="Via de gateway gemeld"),
            headers={**melder, "X-Request-ID": f"gw-e2e-{org}"},
        )
        assert created.status_code == 201, created.text
        assert created.headers["x-request-id"] == f"gw-e2e-{org}"
        assert created.headers["api-version"] == "1.1.0"  # meldingen is at contract v1.1
        melding = created.json()
        assert created.headers["location"] == f"{gw.url}{BASE}/meldingen/{melding['id']}"

        # Two reports in this organisation and one per page: page one must link to page two,
        # through the gateway's public address, and that link must work as given.
        listed = http.get(f"{BASE}/meldingen", params={"pageSize": 1}, headers=handler)
        assert listed.status_code == 200
        assert [m["id"] for m in listed.json()["results"]] == [melding["id"]]
        following = listed.json()["next"]
        assert following is not None, listed.json()
        assert following.startswith(f"{gw.url}{BASE}/meldingen?")
        second = http.get(following, headers=handler)
        assert second.status_code == 200, second.text
        assert [m["id"] for m in second.json()["results"]] == [earlier.json()["id"]]
        assert second.json()["next"] is None

        detail = http.get(created.headers["location"], headers=handler)
        assert detail.status_code == 200
        assert detail.headers.get("etag")

        moved = http.post(
            f"{BASE}/meldingen/{melding['id']}/statuswijzigingen",
            json={"status": "in_behandeling", "toelichting": "Opgepakt"},
            headers=handler,
        )
        assert moved.status_code == 201, moved.text
        assert moved.json()["status"] == "in_behandeling"
    # the request id reached the service's log and the gateway's (lines are written async)
    wait_until(lambda: f"gw-e2e-{org}" in meldingen.log(), what="the request id in meldingen's log")
    wait_until(lambda: f"gw-e2e-{org}" in gw.log(), what="the request id in the gateway's log")
    assert "Via de gateway gemeld" not in gw.log() + meldingen.log()


def test_without_token_401_at_the_gateway_and_at_the_service(
    gw: RunningProcess, meldingen: RunningProcess
) -> None:
    for base in (gw.url, meldingen.url):
        response = httpx.post(f"{base}{BASE}/meldingen", json=melding_body())
        assert response.status_code == 401, base
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.headers["content-type"] == "application/problem+json"


def test_trailing_slash_is_404_and_unsupported_method_405_with_allow(
    gw: RunningProcess, devidp: DevIdp
) -> None:
    headers = devidp.headers("gw-shape", ["melder"])
    slash = httpx.get(f"{gw.url}{BASE}/meldingen/", headers=headers, follow_redirects=False)
    assert slash.status_code == 404
    assert "location" not in slash.headers
    wrong = httpx.delete(f"{gw.url}{BASE}/meldingen", headers=headers)
    assert wrong.status_code == 405
    assert set(re.split(r",\s*", wrong.headers["allow"])) >= {"GET", "POST"}


def test_statistics_negotiate_accept_through_the_gateway(
    gw: RunningProcess, devidp: DevIdp
) -> None:
    """The client's Accept reaches the service as sent (the proxy adds none of its own)."""
    analist = devidp.headers("gw-analist", ["analist"], "GM0363")
    url = f"{gw.url}{BASE}/statistieken"
    params = {"groepeerOp": "maand"}
    plain = httpx.get(url, params=params, headers=analist)
    assert plain.headers["content-type"] == "application/json"
    as_csv = httpx.get(url, params=params, headers={**analist, "Accept": "text/*"})
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    refused = httpx.get(url, params=params, headers={**analist, "Accept": "application/xml"})
    assert refused.status_code == 406
    assert refused.headers["content-type"] == "application/problem+json"
    assert "text/csv" in refused.json()["detail"]


def test_413_at_the_gateway_for_two_mib(gw: RunningProcess, devidp: DevIdp) -> None:
    headers = {**devidp.headers("gw-big", ["melder"]), "Content-Type": "application/json"}
    body = b'{"omschrijving": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = httpx.post(f"{gw.url}{BASE}/meldingen", content=body, headers=headers)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


# Found by schemathesis through the gateway: a deep nest and a long number were a bare
# `about:blank` 400 and a malformed body named the decoder's offset as a field.
UNDECODABLE = {
    "syntax": b'{"gedragstype": "verward_gedrag",\n  "vormen" ["verbaal"]}',
    "deep": b"[" * 10_000 + b"]" * 10_000,
    "long number": b'{"gedragstype": ' + b"7" * 5_000 + b"}",
    "NaN": b'{"gedragstype": NaN}',
}


def test_undecodable_bodies_are_one_problem_through_the_gateway_as_directly(
    gw: RunningProcess, meldingen: RunningProcess, devidp: DevIdp
) -> None:
    headers = {**devidp.headers("gw-json", ["melder"]), "Content-Type": "application/json"}
    for name, body in UNDECODABLE.items():
        answers = [
            httpx.post(f"{base}{BASE}/meldingen", content=body, headers=headers, timeout=10)
            for base in (gw.url, meldingen.url)
        ]
        for answer in answers:
            assert answer.status_code == 400, (name, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.headers["x-request-id"]
        through, direct = (answer.json() for answer in answers)
        assert through == direct, name  # the gateway passes the service's answer on as it is
        assert through["type"] == "urn:weerbaar:probleem:ongeldige-json", name
        assert "invalidParams" not in through
    syntax = httpx.post(
        f"{gw.url}{BASE}/meldingen", content=UNDECODABLE["syntax"], headers=headers, timeout=10
    )
    assert syntax.json()["detail"] == "Regel 2, kolom 12: hier hoort een dubbele punt."


def test_merged_openapi_is_valid_and_holds_the_service_paths(gw: RunningProcess) -> None:
    response = httpx.get(f"{gw.url}/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    service = httpx.get(f"{gw.url}{BASE}/openapi.json").json()
    # The service's paths are relative to its server URL; the portal has them in full.
    server = service["servers"][0]["url"].rstrip("/")
    assert server.endswith(BASE)
    assert {BASE + path for path in service["paths"]} <= set(document["paths"])
    assert f"{BASE}/meldingen" in document["paths"]
    assert {"name": "meldingen"}.items() <= document["tags"][0].items()
    post = document["paths"][f"{BASE}/meldingen"]["post"]
    assert post["tags"] == ["meldingen"]
    assert {"bearer": []} in post["security"]
    assert "application/problem+json" in json.dumps(post["responses"])
    assert "API-Version" in json.dumps(post["responses"])


def test_docs_page_loads_with_no_external_url(gw: RunningProcess) -> None:
    page = httpx.get(f"{gw.url}/api/docs")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert urls
    assert all(url.startswith("/api/docs/") for url in urls), urls
    for url in urls:
        asset = httpx.get(gw.url + url)
        assert asset.status_code == 200, url
    bundle = httpx.get(f"{gw.url}/api/docs/swagger-ui-bundle.js").text
    # The services publish OpenAPI 3.1; Swagger UI 4 shows "Unable to render this definition".
    assert httpx.get(f"{gw.url}/api/openapi.json").json()["openapi"].startswith("3.1")
    assert "isOAS31" in bundle, "the bundled Swagger UI must understand OpenAPI 3.1"
    init = httpx.get(f"{gw.url}/api/docs/init.js").text
    assert "/api/openapi.json" in init
    assert "http://" not in init
    assert "https://" not in init


def test_readiness_lists_the_upstreams(gw: RunningProcess) -> None:
    ready = httpx.get(f"{gw.url}/health/ready")
    assert ready.status_code == 200
    assert ready.json()["upstreams"]["meldingen"]["status"] == "up"


def test_stopped_service_gives_502_and_recovers_by_itself(
    gw: RunningProcess,
    meldingen: RunningProcess,
    backend: Backend,
    devidp: DevIdp,
    logs: Path,
) -> None:
    headers = devidp.headers("gw-recover", ["melder"])
    meldingen.stop()
    try:
        down = httpx.get(f"{gw.url}{BASE}/meldingen", headers=headers)
        assert down.status_code == 502
        assert down.headers["content-type"] == "application/problem+json"
        ready = httpx.get(f"{gw.url}/health/ready")
        assert ready.status_code == 200  # one dead service does not make the gateway unready
        assert ready.json()["upstreams"]["meldingen"]["status"] == "down"
    finally:
        restarted = _start_meldingen(backend, devidp, logs / backend.name, port=meldingen.port)
        meldingen.process = restarted.process
    up = httpx.get(f"{gw.url}{BASE}/meldingen", headers=headers)
    assert up.status_code == 200
