"""Rate limits (in memory and shared through Redis), CORS and metrics at the gateway."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import redis
from gateway_processes import GatewayProcess, echo_upstream, start_gateway

from gateway.config import DEFAULT_RATE_LIMITS, Rate
from tests.conftest import DevIdp
from tests.support.processes import RunningProcess, free_port
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e


class RedisServer:
    """A redis-server of this test's own on a free port (never the machine's shared one)."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_dir = log_dir
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.log_dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url).ping():
                    return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def echo(logs: Path) -> Iterator[RunningProcess]:
    process = echo_upstream("beveiliging", logs)
    yield process
    process.stop()


@pytest.fixture
def own_redis(logs: Path) -> Iterator[RedisServer]:
    server = RedisServer(logs).start()
    yield server
    server.stop()


def _metric(gw: GatewayProcess, name: str, **labels: str) -> float:
    for line in httpx.get(gw.metrics_url).text.splitlines():
        if line.startswith(name) and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_limited_routes_carry_ratelimit_headers_and_refuse_with_429(
    logs: Path, devidp: DevIdp, echo: RunningProcess
) -> None:
    gw = start_gateway(
        logs,
        devidp.issuer,
        {"beveiliging": echo.url},
        rate_limits=json.dumps({"beveiliging": "0.1/3"}),
    )
    url = f"{gw.url}/api/beveiliging/v1/echo"
    first = devidp.headers("gw-rl-1", ["melder"])
    try:
        answers = [httpx.get(url, headers=first) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert [a.headers["ratelimit-remaining"] for a in answers[:3]] == ["2", "1", "0"]
        assert answers[0].headers["ratelimit-limit"] == "3"
        assert int(answers[0].headers["ratelimit-reset"]) >= 1
        refused = answers[3]
        assert refused.headers["content-type"] == "application/problem+json"
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.headers["ratelimit-remaining"] == "0"
        # Another caller has a budget of its own.
        assert httpx.get(url, headers=devidp.headers("gw-rl-2", ["melder"])).status_code == 200
        assert _metric(gw, "gateway_ratelimit_refusals_total", route_group="beveiliging") == 1
        # Health is not limited.
        assert "ratelimit-limit" not in httpx.get(f"{gw.url}/health/live").headers
    finally:
        gw.stop()


def test_creating_meldingen_has_a_stricter_budget_than_reading(logs: Path, devidp: DevIdp) -> None:
    echo = echo_upstream("meldingen", logs)
    gw = start_gateway(
        logs,
        devidp.issuer,
        {"meldingen": echo.url},
        rate_limits=json.dumps({"*": "100/100", "meldingen-aanmaken": "0.01/2"}),
    )
    headers = {**devidp.headers("gw-rl-post", ["melder"]), "Content-Type": "application/json"}
    url = f"{gw.url}/api/meldingen/v1/meldingen"
    try:
        posts = [httpx.post(url, headers=headers, content=b"{}").status_code for _ in range(3)]
        assert posts == [200, 200, 429]
        assert httpx.get(url, headers=headers).status_code == 200
    finally:
        gw.stop()
        echo.stop()


def test_a_flood_of_invalid_tokens_is_refused_before_signature_checks(
    logs: Path, devidp: DevIdp, echo: RunningProcess
) -> None:
    gw = start_gateway(
        logs,
        devidp.issuer,
        {"beveiliging": echo.url},
        rate_limits=json.dumps({"*": "100/100", "auth-failures": "0.01/3"}),
    )
    good = devidp.token("gw-flood", ["melder"])
    header, payload, _ = good.split(".")
    try:
        statuses = []
        for i in range(5):
            forged = f"{header}.{payload}.{'A' * 40}{i}"
            response = httpx.get(
                f"{gw.url}/api/beveiliging/v1/echo", headers={"Authorization": f"Bearer {forged}"}
            )
            statuses.append(response.status_code)
        assert statuses == [401, 401, 401, 429, 429]
    finally:
        gw.stop()


def test_one_budget_across_two_gateways_sharing_redis(
    logs: Path, devidp: DevIdp, echo: RunningProcess, own_redis: RedisServer
) -> None:
    settings = {"redis_url": own_redis.url, "rate_limits": json.dumps({"beveiliging": "0.01/4"})}
    first = start_gateway(logs, devidp.issuer, {"beveiliging": echo.url}, **settings)
    second = start_gateway(logs, devidp.issuer, {"beveiliging": echo.url}, **settings)
    headers = devidp.headers("gw-shared", ["melder"])
    try:
        statuses = [
            httpx.get(f"{gw.url}/api/beveiliging/v1/echo", headers=headers).status_code
            for gw in (first, second, first, second, first, second)
        ]
        assert statuses == [200, 200, 200, 200, 429, 429]
        assert _metric(first, "gateway_ratelimit_redis_up") == 1
    finally:
        first.stop()
        second.stop()


def test_redis_gone_falls_back_to_memory_and_recovers(
    logs: Path, devidp: DevIdp, echo: RunningProcess, own_redis: RedisServer
) -> None:
    gw = start_gateway(
        logs,
        devidp.issuer,
        {"beveiliging": echo.url},
        redis_url=own_redis.url,
        redis_retry_seconds="0.5",
        rate_limits=json.dumps({"*": "100/100"}),
    )
    url = f"{gw.url}/api/beveiliging/v1/echo"
    headers = devidp.headers("gw-failopen", ["melder"])
    try:
        assert httpx.get(url, headers=headers).status_code == 200
        assert _metric(gw, "gateway_ratelimit_redis_up") == 1
        own_redis.stop()
        down = [httpx.get(url, headers=headers) for _ in range(3)]
        assert [r.status_code for r in down] == [200, 200, 200]
        assert "ratelimit-remaining" in down[-1].headers  # still limited, now per replica
        assert _metric(gw, "gateway_ratelimit_redis_up") == 0
        assert "Redis unreachable" in gw.log()
        own_redis.start()
        # The gateway tries Redis again at most every 0.5 s, on the next request.
        wait_until(
            lambda: (
                httpx.get(url, headers=headers).status_code == 200
                and _metric(gw, "gateway_ratelimit_redis_up") == 1
            ),
            what="the gateway to use Redis again",
            describe=lambda: _metric(gw, "gateway_ratelimit_redis_up"),
        )
        assert "Redis reachable again" in gw.log()
        keys = redis.Redis.from_url(own_redis.url).keys("weerbaar:rl:*")
        assert keys  # the budget lives in Redis again
        assert not any(b"gw-failopen" in key for key in keys)  # subjects are hashed
    finally:
        gw.stop()


def test_cors_from_the_allow_list_and_openapi_documents_for_any_origin(
    logs: Path, devidp: DevIdp, echo: RunningProcess
) -> None:
    allowed = "https://portaal.weerbaar.example"
    gw = start_gateway(
        logs,
        devidp.issuer,
        {"beveiliging": echo.url},
        cors_origins=allowed,
        rate_limits=json.dumps({"*": "100/100"}),
    )
    url = f"{gw.url}/api/beveiliging/v1/echo"
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    try:
        ok = httpx.options(url, headers={"Origin": allowed, **preflight})
        assert ok.status_code == 204
        assert ok.headers["access-control-allow-origin"] == allowed
        assert "POST" in ok.headers["access-control-allow-methods"]
        assert ok.headers["access-control-allow-headers"] == "authorization, content-type"
        refused = httpx.options(url, headers={"Origin": "https://evil.example", **preflight})
        assert refused.status_code == 403
        assert "access-control-allow-origin" not in refused.headers

        headers = {**devidp.headers("gw-cors", ["melder"]), "Origin": allowed}
        actual = httpx.get(url, headers=headers)
        assert actual.headers["access-control-allow-origin"] == allowed
        assert "X-Request-ID" in actual.headers["access-control-expose-headers"]
        assert actual.headers.get_list("access-control-allow-origin") == [allowed]
        other = httpx.get(url, headers={**headers, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers

        for doc in ("/api/openapi.json", "/api/beveiliging/v1/openapi.json"):
            document = httpx.get(gw.url + doc, headers={"Origin": "https://anyone.example"})
            assert document.status_code == 200, doc
            assert document.headers["access-control-allow-origin"] == "*"
    finally:
        gw.stop()


def test_metrics_count_requests_by_route_group_method_and_status(
    logs: Path, devidp: DevIdp, echo: RunningProcess
) -> None:
    gw = start_gateway(
        logs, devidp.issuer, {"beveiliging": echo.url}, rate_limits=json.dumps({"*": "100/100"})
    )
    headers = devidp.headers("gw-metrics", ["melder"])
    try:
        for _ in range(3):
            httpx.get(f"{gw.url}/api/beveiliging/v1/echo", headers=headers)
        httpx.get(f"{gw.url}/api/beveiliging/v1/echo")
        labels = {"route_group": "beveiliging", "method": "GET"}
        assert _metric(gw, "gateway_requests_total", status="200", **labels) == 3
        assert _metric(gw, "gateway_requests_total", status="401", **labels) == 1
        assert _metric(gw, "gateway_request_duration_seconds_count", **labels) == 4
        text = httpx.get(gw.metrics_url).text
        assert "gateway_circuit_breaker_state" in text
        assert headers["Authorization"].split()[1] not in text
    finally:
        gw.stop()


@pytest.mark.parametrize("trusted", [True, False])
def test_anonymous_budgets_follow_x_forwarded_for_only_behind_trusted_proxies(
    logs: Path, devidp: DevIdp, trusted: bool
) -> None:
    echo = echo_upstream("kennisbank", logs)
    settings = {"rate_limits": json.dumps({"kennisbank-publiek": "0.01/2"})}
    if trusted:
        settings["trusted_proxies"] = "127.0.0.1/32"
    gw = start_gateway(logs, devidp.issuer, {"kennisbank": echo.url}, **settings)
    url = f"{gw.url}/api/kennisbank/v1/zoeken?q=bedreiging"
    try:
        first = [httpx.get(url, headers={"X-Forwarded-For": "203.0.113.1"}) for _ in range(3)]
        assert [r.status_code for r in first] == [200, 200, 429]
        other = httpx.get(url, headers={"X-Forwarded-For": "203.0.113.2"})
        # Behind a trusted proxy the forwarded address is the caller; otherwise it is ignored.
        assert other.status_code == (200 if trusted else 429)
        seen = dict(first[0].json()["headers"])
        assert seen["x-forwarded-for"] == ("203.0.113.1" if trusted else "127.0.0.1")
    finally:
        gw.stop()
        echo.stop()


def _until_refused(send: Callable[[], int], budget: Rate) -> tuple[int, float]:
    """Requests answered before the first 429, and the seconds that took (bounded)."""
    started = time.monotonic()
    answered = 0
    while (status := send()) != 429:
        assert status < 400 or status == 401, status
        answered += 1
        assert answered <= budget.burst * 10, "never refused"
    return answered, time.monotonic() - started


def _within_budget(answered: int, seconds: float, budget: Rate) -> bool:
    # At least the burst passes; beyond it only what refilled while the requests ran.
    return budget.burst <= answered <= budget.burst + int(seconds * budget.per_second) + 1


def test_the_default_budgets_hold_in_a_gateway_started_without_limit_settings(
    logs: Path, devidp: DevIdp
) -> None:
    """The fuzz stack runs with generous limits; a normal gateway keeps the production ones."""
    defaults = {group: Rate.parse(spec) for group, spec in DEFAULT_RATE_LIMITS.items()}
    echo = echo_upstream("meldingen", logs)
    gw = start_gateway(logs, devidp.issuer, {"meldingen": echo.url})
    url = f"{gw.url}/api/meldingen/v1/meldingen"
    headers = {
        **devidp.headers("gw-default-budget", ["melder"]),
        "Content-Type": "application/json",
    }
    try:
        with httpx.Client(timeout=10) as http:
            create = defaults["meldingen-aanmaken"]
            answered, seconds = _until_refused(
                lambda: http.post(url, headers=headers, content=b"{}").status_code, create
            )
            assert _within_budget(answered, seconds, create), (answered, seconds, create)
            # A read is another group's budget: still answered.
            assert http.get(url, headers=headers).status_code == 200

            # Statistics may scan the meldingen: a budget of their own, far below `*`.
            figures = defaults["statistieken"]
            assert figures.per_second < defaults["*"].per_second
            answered, seconds = _until_refused(
                lambda: (
                    http.get(f"{url[: -len('meldingen')]}statistieken", headers=headers).status_code
                ),
                figures,
            )
            assert _within_budget(answered, seconds, figures), (answered, seconds, figures)
            assert http.get(url, headers=headers).status_code == 200

            failures = defaults["auth-failures"]
            token = devidp.token("gw-default-forged", ["melder"])
            forged = {"Authorization": f"Bearer {token.rsplit('.', 1)[0]}.{'A' * 43}"}
            answered, seconds = _until_refused(
                lambda: http.get(url, headers=forged).status_code, failures
            )
            assert _within_budget(answered, seconds, failures), (answered, seconds, failures)
    finally:
        gw.stop()
        echo.stop()
