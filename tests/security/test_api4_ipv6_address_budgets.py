"""API4 unrestricted resource consumption: an IPv6 /64 is one caller for the address budgets.

Found by the outside attack sweep: anything without a verified token (the public knowledge
base, the lockout after bad tokens) was budgeted per exact address, and one subscriber line or
cloud VM holds a whole IPv6 /64: stepping through its addresses gave an unlimited budget, and
the lockout after 20 bad tokens never came. An IPv6 address is now budgeted by its /64, an
IPv4-mapped one as the IPv4 address it is.

Real processes: the dev identity provider, an echo upstream as kennisbank and the gateway behind
a trusted proxy (the test's own loopback), which passes on the client's address in
`X-Forwarded-For`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import DevIdp
from tests.e2e.gateway_processes import GatewayProcess, echo_upstream, start_gateway
from tests.support.processes import RunningProcess

pytestmark = pytest.mark.e2e

SEARCH = "/api/kennisbank/v1/zoeken?q=bedreiging"


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("api4-ipv6")


@pytest.fixture(scope="module")
def echo(logs: Path) -> Iterator[RunningProcess]:
    process = echo_upstream("kennisbank", logs)
    yield process
    process.stop()


@pytest.fixture
def gw(devidp: DevIdp, echo: RunningProcess, logs: Path) -> Iterator[GatewayProcess]:
    """Fresh buckets per test: two anonymous requests, two bad tokens per caller."""
    process = start_gateway(
        logs,
        devidp.issuer,
        {"kennisbank": echo.url},
        trusted_proxies="127.0.0.1/32",
        rate_limits=json.dumps({"kennisbank-publiek": "0.01/2", "auth-failures": "0.01/2"}),
    )
    yield process
    process.stop()


def _search(gw: GatewayProcess, client: str, token: str | None = None) -> int:
    headers = {"X-Forwarded-For": client}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.get(f"{gw.url}{SEARCH}", headers=headers, timeout=10).status_code


def test_addresses_of_one_ipv6_64_share_one_anonymous_budget(gw: GatewayProcess) -> None:
    same_line = ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:ffff"]
    assert [_search(gw, client) for client in same_line] == [200, 200, 429]
    # Another /64 is another caller.
    assert _search(gw, "2001:db8:1:3::1") == 200


def test_an_ipv4_mapped_address_is_the_ipv4_caller(gw: GatewayProcess) -> None:
    clients = ["203.0.113.9", "::ffff:203.0.113.9", "203.0.113.9"]
    assert [_search(gw, client) for client in clients] == [200, 200, 429]


def test_bad_tokens_from_rotating_addresses_of_one_64_are_locked_out(
    gw: GatewayProcess, devidp: DevIdp
) -> None:
    token = devidp.token("api4-ipv6", ["melder"], "GM0363")
    header, payload, _ = token.split(".")
    forged = f"{header}.{payload}.{'A' * 342}"
    statuses = [_search(gw, f"2001:db8:9:9::{n}", forged) for n in range(1, 4)]
    assert statuses == [401, 401, 429]
    # A token that verifies still goes through from the locked-out line.
    assert _search(gw, "2001:db8:9:9::4", token) == 200
