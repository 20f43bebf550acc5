"""The gateway as a real process in front of a stand-in service: what it forwards and refuses."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from gateway_processes import echo_upstream, start_gateway

from tests.conftest import DevIdp
from tests.support.processes import RunningProcess
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

FAST = {
    "upstream_total_timeout": "1.5",
    "upstream_read_timeout": "1.5",
    "rate_limits": json.dumps({"*": "1000/1000"}),
}


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gateway-forwarding")


@pytest.fixture(scope="module")
def echo(logs: Path) -> Iterator[RunningProcess]:
    process = echo_upstream("beveiliging", logs)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def gw(logs: Path, devidp: DevIdp, echo: RunningProcess) -> Iterator[RunningProcess]:
    process = start_gateway(logs, devidp.issuer, {"beveiliging": echo.url}, **FAST)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def token(devidp: DevIdp) -> str:
    return devidp.token("gw-forward-1", ["melder"])


def _auth(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


def test_spoofed_identity_forwarded_and_hop_by_hop_headers_do_not_reach_the_service(
    gw: RunningProcess, token: str
) -> None:
    spoofed = {
        "X-User-Id": "admin",
        "X-Principal": "admin",
        "X-Org": "OWB",
        "X-Roles": "beheerder",
        "X-Auth-Request-User": "admin",
        "X-Remote-User": "admin",
        "Remote-User": "admin",
        "X-Forwarded-For": "203.0.113.66",
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Prefix": "/evil",
        "Forwarded": "for=203.0.113.66;host=evil.example",
        "X-Real-IP": "203.0.113.66",
        "Connection": "keep-alive, X-Smuggled",
        "X-Smuggled": "1",
        "Keep-Alive": "timeout=5",
        "Proxy-Authorization": "Basic eDp5",
    }
    response = httpx.get(f"{gw.url}/api/beveiliging/v1/echo", headers=_auth(token, **spoofed))
    assert response.status_code == 200
    seen = {name: value for name, value in response.json()["headers"]}
    for name in spoofed:
        if not name.lower().startswith("x-forwarded-"):
            assert name.lower() not in seen, name
    assert seen["x-forwarded-for"] == "127.0.0.1"
    assert seen["x-forwarded-host"] == f"127.0.0.1:{gw.port}"
    assert seen["x-forwarded-proto"] == "http"
    assert "x-forwarded-prefix" not in seen
    assert seen["authorization"] == f"Bearer {token}"


def test_request_id_is_echoed_passed_on_and_logged(gw: RunningProcess, token: str) -> None:
    response = httpx.get(
        f"{gw.url}/api/beveiliging/v1/echo?x=1",
        headers=_auth(token, **{"X-Request-ID": "rid-gw-42"}),
    )
    assert response.headers["x-request-id"] == "rid-gw-42"
    assert response.headers.get_list("x-request-id") == ["rid-gw-42"]
    seen = dict(response.json()["headers"])
    assert seen["x-request-id"] == "rid-gw-42"
    assert response.json()["query"] == "x=1"

    def access_lines() -> list[dict[str, Any]]:
        lines = [json.loads(line) for line in gw.log().splitlines() if line.startswith("{")]
        return [line for line in lines if line.get("requestId") == "rid-gw-42"]

    access = wait_until(access_lines, what="the gateway's access line with the request id")
    assert "x=1" not in json.dumps(access)
    assert token not in gw.log()


def test_a_fresh_request_id_is_made_when_none_or_a_bad_one_is_sent(
    gw: RunningProcess, token: str
) -> None:
    response = httpx.get(
        f"{gw.url}/api/beveiliging/v1/echo", headers=_auth(token, **{"X-Request-ID": "bad id\t!"})
    )
    rid = response.headers["x-request-id"]
    assert rid != "bad id\t!"
    assert dict(response.json()["headers"])["x-request-id"] == rid


def test_without_token_401_with_bearer_challenge_and_never_forwarded(gw: RunningProcess) -> None:
    response = httpx.get(f"{gw.url}/api/beveiliging/v1/echo")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    forged = httpx.get(f"{gw.url}/api/beveiliging/v1/echo", headers=_auth("a.b.c"))
    assert forged.status_code == 401


def test_unknown_prefix_and_dot_segments_are_404_problems(gw: RunningProcess, token: str) -> None:
    for path in (
        "/api/onbekend/v1/x",
        "/api/meldingen/v1/meldingen",
        "/api/beveiliging/v1/%2e%2e/x",
    ):
        response = httpx.get(gw.url + path, headers=_auth(token))
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"


def test_bodies_over_one_mib_are_413_by_length_and_while_streaming(
    gw: RunningProcess, token: str
) -> None:
    body = b"x" * (2 * 1024 * 1024)
    headers = _auth(token, **{"Content-Type": "application/json"})
    declared = httpx.post(f"{gw.url}/api/beveiliging/v1/echo", headers=headers, content=body)
    assert declared.status_code == 413
    assert declared.headers["content-type"] == "application/problem+json"

    def chunks() -> Iterator[bytes]:
        for _ in range(32):
            yield b"x" * (64 * 1024)

    streamed = httpx.post(f"{gw.url}/api/beveiliging/v1/echo", headers=headers, content=chunks())
    assert streamed.status_code == 413
    small = httpx.post(f"{gw.url}/api/beveiliging/v1/echo", headers=headers, content=iter([b"{}"]))
    assert small.status_code == 200
    assert small.json()["bodySize"] == 2


def test_responses_stream_back_and_a_client_hanging_up_closes_the_upstream(
    gw: RunningProcess, echo: RunningProcess, token: str
) -> None:
    started = time.monotonic()
    with httpx.stream("GET", f"{gw.url}/api/beveiliging/v1/stream", headers=_auth(token)) as r:
        chunks = r.iter_raw()
        assert next(chunks).startswith(b"chunk 0")
        assert time.monotonic() - started < 2.0
        assert next(chunks).startswith(b"chunk 1")
        assert httpx.get(f"{echo.url}/api/beveiliging/v1/count/total").json()["streamsOpen"] == 1
    wait_until(
        lambda: httpx.get(f"{echo.url}/api/beveiliging/v1/count/total").json()["streamsOpen"] == 0,
        what="the upstream stream to close after the client hung up",
        timeout=5,
    )


def test_security_and_server_timing_headers_on_proxied_answers(
    gw: RunningProcess, token: str
) -> None:
    response = httpx.get(f"{gw.url}/api/beveiliging/v1/echo", headers=_auth(token))
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["server-timing"].startswith("gateway;dur=")
    assert "upstream;dur=" in response.headers["server-timing"]
    assert len(response.headers.get_list("date")) == 1
