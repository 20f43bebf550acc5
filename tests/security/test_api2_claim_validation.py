"""API2 broken authentication: a signed token's claims are checked, not only its signature.

A correctly signed token with `org: "gm0363"`, `"../OWB"` or a list, or with `exp` as a
string, used to be accepted: a malformed organisation silently became a report nobody
handles. The verifier (services.common.auth, which the gateway uses too) now refuses such
claims with 401 problem+json, and the dev identity provider refuses to mint them.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from devidp.app import create_app as create_devidp
from devidp.config import DevIdpSettings
from gateway.verifier import CachingTokenVerifier
from services.common.auth import InvalidToken
from services.common.db import database_target
from services.common.migrations import upgrade
from services.common.settings import CommonSettings
from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from tests.common.jwt_forge import RsaKey, claims_for, jwks_server
from tests.conftest import TEST_KEYS, DevIdp

LIST = "/api/meldingen/v1/meldingen"


class Issuer:
    def __init__(self, url: str, key: RsaKey) -> None:
        self.url = url
        self.key = key

    def token(self, **overrides: Any) -> str:
        return self.key.sign(claims_for(self.url, **overrides))


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    key = RsaKey(kid="claims-sleutel")
    with jwks_server([key]) as server:
        yield Issuer(server.issuer, key)


@pytest.fixture(scope="module")
def api(issuer: Issuer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data_dir: Path = tmp_path_factory.mktemp("claims")
    settings = MeldingenSettings(
        data_dir=data_dir, data_keys=TEST_KEYS, oidc_issuer=issuer.url, env="test"
    )
    target = database_target(settings, service="meldingen", schema="meldingen")
    upgrade("meldingen", target)
    with TestClient(create_app(settings, target)) as client:
        yield client


def _now() -> int:
    return int(time.time())


MALFORMED_ORG: dict[str, Any] = {
    "lowercase": "gm0363",
    "path": "../OWB",
    "too-short": "GM036",
    "unknown-prefix": "XX0363",
    "trailing-newline": "GM0363\n",
    "empty": "",
    "list-of-two": ["GM0363", "OWB"],
    "empty-list": [],
    "number": 363,
    "object": {"code": "GM0363"},
}
MALFORMED_OTHER: dict[str, dict[str, Any]] = {
    "exp-string": {"exp": str(_now() + 600)},
    "exp-boolean": {"exp": True},
    "iat-string": {"iat": str(_now())},
    "nbf-string": {"nbf": str(_now())},
    "nbf-boolean": {"nbf": False},
    "sub-with-space": {"sub": "iemand anders"},
    "sub-with-nul": {"sub": "iemand\x00"},
    "sub-too-long": {"sub": "x" * 256},
    "sub-number": {"sub": 42},
    "roles-with-a-number": {"roles": ["melder", 1]},
    "roles-a-string": {"roles": "melder"},
}


def _assert_401(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
    problem: dict[str, Any] = response.json()
    return problem


@pytest.mark.parametrize("case", sorted(MALFORMED_ORG))
def test_malformed_org_is_401_with_a_clear_problem(
    api: TestClient, issuer: Issuer, case: str
) -> None:
    token = issuer.token(org=MALFORMED_ORG[case]) if case != "empty" else None
    if token is None:  # claims_for drops a claim whose override is None, so set "" by hand
        claims = claims_for(issuer.url)
        claims["org"] = ""
        token = issuer.key.sign(claims)
    problem = _assert_401(api.get(LIST, headers={"Authorization": f"Bearer {token}"}))
    assert "org" in problem["detail"]


@pytest.mark.parametrize("case", sorted(MALFORMED_OTHER))
def test_malformed_time_subject_and_roles_claims_are_401(
    api: TestClient, issuer: Issuer, case: str
) -> None:
    token = issuer.token(**MALFORMED_OTHER[case])
    _assert_401(api.get(LIST, headers={"Authorization": f"Bearer {token}"}))


@pytest.mark.parametrize(
    "claims",
    [
        {"org": "GM0363"},
        {"org": "PV27"},
        {"org": "WS0155"},
        {"org": "OWB"},
        {"org": ["GM0363"]},  # a single-valued Keycloak user attribute mapped as a list
        {"org": None},  # no organisation at all: the rules decide what that caller may do
        # Made when the test runs, not at collection: a long suite must not expire it.
        lambda: {"exp": _now() + 600.5, "iat": float(_now())},
    ],
    ids=["gemeente", "provincie", "waterschap", "owb", "keycloak-list", "absent", "floats"],
)
def test_well_formed_claims_are_accepted(
    api: TestClient, issuer: Issuer, claims: dict[str, Any] | Callable[[], dict[str, Any]]
) -> None:
    claims = claims() if callable(claims) else claims
    response = api.get(LIST, headers={"Authorization": f"Bearer {issuer.token(**claims)}"})
    assert response.status_code == 200, response.text


def test_the_gateway_verifier_refuses_them_too(issuer: Issuer) -> None:
    verifier = CachingTokenVerifier(CommonSettings(oidc_issuer=issuer.url))

    async def scenario() -> None:
        try:
            assert (await verifier.verify(issuer.token())).org == "GM0363"
            for org in ("gm0363", "../OWB", ["GM0363", "OWB"]):
                with pytest.raises(InvalidToken):
                    await verifier.verify(issuer.token(org=org))
            with pytest.raises(InvalidToken):
                await verifier.verify(issuer.token(exp=str(_now() + 600)))
        finally:
            await verifier.jwks.aclose()

    asyncio.run(scenario())


@pytest.mark.parametrize("org", ["gm0363", "../OWB", "GM0363\n", ""])
def test_dev_idp_refuses_to_mint_a_malformed_org(devidp: DevIdp, org: str) -> None:
    response = httpx.post(
        f"{devidp.issuer}/dev/token", json={"sub": "u1", "roles": ["melder"], "org": org}
    )
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("sub", ["iemand anders", "tab\tsub", "x" * 256])
def test_dev_idp_refuses_to_mint_a_malformed_subject(devidp: DevIdp, sub: str) -> None:
    response = httpx.post(f"{devidp.issuer}/dev/token", json={"sub": sub, "roles": ["melder"]})
    assert response.status_code == 400, response.text


def test_dev_idp_refuses_a_client_with_a_malformed_org(tmp_path: Path) -> None:
    clients = tmp_path / "clients.json"
    clients.write_text(
        json.dumps(
            {"clients": [{"clientId": "c", "clientSecret": "s", "roles": [], "org": "../OWB"}]}
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="org"):
        create_devidp(DevIdpSettings(data_dir=tmp_path, devidp_clients_file=clients))
