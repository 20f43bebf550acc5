"""Every forged, stale or misplaced token is a 401 problem with a Bearer challenge.

The attacks run over HTTP against the real meldingen app, trusting an issuer of our own
(our RSA keys, our JWKS on loopback), so each token can be forged exactly as an attacker
would. Key rotation and an unreachable issuer are checked on the verifier itself, against a
real dev identity provider process.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from jose import jwt

from services.common.auth import InvalidToken, JwksCache, TokenVerifier
from services.common.db import database_target
from services.common.migrations import upgrade
from services.common.settings import CommonSettings
from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from tests.common.jwt_forge import (
    JwksServer,
    RsaKey,
    claims_for,
    es256_token,
    hs256_token,
    jwks_server,
    unsigned_token,
    with_claims_replaced,
)
from tests.conftest import TEST_KEYS
from tests.support.processes import RunningProcess, free_port, start_process

LIST = "/api/meldingen/v1/meldingen"


class Issuer:
    def __init__(self, url: str, key: RsaKey, foreign: RsaKey) -> None:
        self.url = url
        self.key = key
        self.foreign = foreign

    def token(self, **overrides: Any) -> str:
        return self.key.sign(claims_for(self.url, **overrides))


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    key = RsaKey(kid="echte-sleutel")
    with jwks_server([key]) as server:
        yield Issuer(server.issuer, key, foreign=RsaKey(kid=key.kid))


@pytest.fixture(scope="module")
def api(issuer: Issuer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data_dir: Path = tmp_path_factory.mktemp("token-attacks")
    settings = MeldingenSettings(
        data_dir=data_dir, data_keys=TEST_KEYS, oidc_issuer=issuer.url, env="test"
    )
    target = database_target(settings, service="meldingen", schema="meldingen")
    upgrade("meldingen", target)
    with TestClient(create_app(settings, target)) as client:
        yield client


def assert_unauthorized(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 401
    assert {"type", "title", "status", "detail"} <= problem.keys()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_valid_token_from_the_trusted_issuer_is_accepted(api: TestClient, issuer: Issuer) -> None:
    """The control: without it every 401 below could be a harness that rejects everything."""
    response = api.get(LIST, headers=bearer(issuer.token()))
    assert response.status_code == 200, response.text


def test_a_token_just_past_expiry_is_accepted_within_the_leeway(
    api: TestClient, issuer: Issuer
) -> None:
    response = api.get(LIST, headers=bearer(issuer.token(exp=int(time.time()) - 5)))
    assert response.status_code == 200, response.text


def test_request_without_token_is_unauthorized(api: TestClient) -> None:
    assert_unauthorized(api.get(LIST))


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param("Bearer not-a-jwt", id="garbage"),
        pytest.param("Bearer a.b.c", id="three-garbage-parts"),
        pytest.param("Bearer ", id="empty-bearer"),
        pytest.param("Basic dXNlcjpwdw==", id="basic-scheme"),
    ],
)
def test_garbage_authorization_is_unauthorized(api: TestClient, authorization: str) -> None:
    assert_unauthorized(api.get(LIST, headers={"Authorization": authorization}))


def _now() -> int:
    return int(time.time())


# Each attack builds its token from the trusted issuer (its URL, real key, a foreign key).
ATTACKS: dict[str, Callable[[Issuer], str]] = {
    "alg-none": lambda i: unsigned_token({"alg": "none", "kid": i.key.kid}, claims_for(i.url)),
    "alg-none-capitalised": lambda i: unsigned_token(
        {"alg": "None", "kid": i.key.kid}, claims_for(i.url)
    ),
    "foreign-key-with-real-kid": lambda i: i.foreign.sign(claims_for(i.url), kid=i.key.kid),
    "tampered-claims": lambda i: with_claims_replaced(i.token(), roles=["behandelaar"], org="OWB"),
    "tampered-subject": lambda i: with_claims_replaced(i.token(), sub="iemand-anders"),
    "hs256-keyed-with-public-pem": lambda i: hs256_token(
        i.key.public_pem, {"alg": "HS256", "typ": "JWT", "kid": i.key.kid}, claims_for(i.url)
    ),
    "hs256-without-kid": lambda i: hs256_token(
        i.key.public_pem, {"alg": "HS256", "typ": "JWT"}, claims_for(i.url)
    ),
    "expired": lambda i: i.token(exp=_now() - 120, iat=_now() - 700, nbf=_now() - 700),
    "missing-exp": lambda i: i.token(exp=None),
    "missing-aud": lambda i: i.token(aud=None),
    "wrong-aud": lambda i: i.token(aud="een-andere-api"),
    "wrong-iss": lambda i: i.token(iss="http://127.0.0.1:1/niet-vertrouwd"),
    "missing-iss": lambda i: i.token(iss=None),
    "missing-iat": lambda i: i.token(iat=None),
    "missing-sub": lambda i: i.token(sub=None),
    "not-yet-valid": lambda i: i.token(nbf=_now() + 3600),
    "unknown-kid": lambda i: i.key.sign(claims_for(i.url), kid="onbekende-sleutel"),
    "rs512-not-on-the-allow-list": lambda i: i.key.sign(claims_for(i.url), alg="RS512"),
    "es256-foreign-key-with-real-kid": lambda i: es256_token(i.key.kid, claims_for(i.url)),
    "jku-pointing-at-the-attacker": lambda i: i.foreign.sign(
        claims_for(i.url), kid="aanvaller", jku="http://127.0.0.1:1/jwks"
    ),
    "embedded-jwk-of-the-attacker": lambda i: i.foreign.sign(
        claims_for(i.url), kid=i.key.kid, jwk=i.foreign.public_jwk
    ),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_forged_or_invalid_token_is_unauthorized(
    api: TestClient, issuer: Issuer, attack: str
) -> None:
    token = ATTACKS[attack](issuer)
    assert_unauthorized(api.get(LIST, headers=bearer(token)))


def test_token_in_the_query_string_is_ignored(api: TestClient, issuer: Issuer) -> None:
    assert_unauthorized(api.get(LIST, params={"access_token": issuer.token()}))


def test_invalid_token_on_a_public_route_is_still_unauthorized(api: TestClient) -> None:
    """The OpenAPI document needs no token, but a presented token must be valid."""
    assert api.get("/api/meldingen/v1/openapi.json").status_code == 200
    assert_unauthorized(
        api.get("/api/meldingen/v1/openapi.json", headers={"Authorization": "Bearer nope"})
    )


def test_unauthorized_write_is_refused_before_the_body_is_read(
    api: TestClient, issuer: Issuer
) -> None:
    token = with_claims_replaced(issuer.token(), roles=["behandelaar"])
    response = api.post(LIST, content=b"{not json", headers=bearer(token))
    assert_unauthorized(response)


# ---- key rotation and an unreachable issuer, on the verifier itself ---------------------------


@pytest.fixture
def own_devidp(tmp_path: Path) -> Iterator[RunningProcess]:
    port = free_port()
    process = start_process(
        "devidp-rotation",
        ["devidp", "serve"],
        env={
            "WEERBAAR_DATA_DIR": str(tmp_path),
            "WEERBAAR_OIDC_ISSUER": f"http://127.0.0.1:{port}",
        },
        log_dir=tmp_path,
        port=port,
    )
    yield process
    process.stop()


def dev_token(idp: RunningProcess) -> str:
    response = httpx.post(
        f"{idp.url}/dev/token", json={"sub": "rotatie", "roles": ["melder"], "org": "GM0363"}
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


class CountingVerifier:
    """A TokenVerifier whose HTTP client counts the JWKS requests it makes."""

    def __init__(self, settings: CommonSettings) -> None:
        self.jwks_requests = 0

        async def count(request: httpx.Request) -> None:
            if request.url.path == "/jwks":
                self.jwks_requests += 1

        self.client = httpx.AsyncClient(timeout=2.0, event_hooks={"request": [count]})
        self.verifier = TokenVerifier(settings, JwksCache(settings, self.client))

    async def sub(self, token: str) -> str:
        return (await self.verifier.verify(token)).sub


def test_rotated_key_is_fetched_once_then_cached_and_survives_an_issuer_outage(
    own_devidp: RunningProcess,
) -> None:
    settings = CommonSettings(oidc_issuer=own_devidp.url, jwks_cooldown_seconds=0)
    old_token = dev_token(own_devidp)

    async def scenario() -> None:
        counting = CountingVerifier(settings)
        assert await counting.sub(old_token) == "rotatie"
        assert counting.jwks_requests == 1

        async with httpx.AsyncClient(base_url=own_devidp.url) as idp:
            rotated = await idp.post("/dev/keys/rotate")
            rotated.raise_for_status()
            new_kid = rotated.json()["kid"]
            minted = await idp.post("/dev/token", json={"sub": "rotatie", "roles": ["melder"]})
            new_token = minted.json()["access_token"]
        assert jwt.get_unverified_header(new_token)["kid"] == new_kid
        assert jwt.get_unverified_header(old_token)["kid"] != new_kid

        assert await counting.sub(new_token) == "rotatie"
        assert counting.jwks_requests == 2, "an unknown kid triggers exactly one refetch"
        for _ in range(5):
            assert await counting.sub(new_token) == "rotatie"
            assert await counting.sub(old_token) == "rotatie"
        assert counting.jwks_requests == 2, "known kids are served from the cache"

        await asyncio.to_thread(own_devidp.stop)
        async with httpx.AsyncClient() as probe:
            with pytest.raises(httpx.ConnectError):
                await probe.get(f"{own_devidp.url}/jwks")
        assert await counting.sub(new_token) == "rotatie"
        assert await counting.sub(old_token) == "rotatie"
        await counting.client.aclose()

    asyncio.run(scenario())


def test_expired_key_cache_is_kept_while_the_issuer_is_unreachable() -> None:
    key = RsaKey(kid="k1")
    server = JwksServer([key])
    server.start()
    # A zero TTL and cooldown: every verification asks the issuer again and must survive that.
    settings = CommonSettings(
        oidc_issuer=server.issuer,
        oidc_jwks_url=server.jwks_url,
        jwks_cache_seconds=0,
        jwks_cooldown_seconds=0,
    )
    token = key.sign(claims_for(server.issuer))

    async def scenario() -> None:
        verifier = TokenVerifier(settings)
        assert (await verifier.verify(token)).sub == "aanvaller-1"
        server.stop()
        for _ in range(3):
            assert (await verifier.verify(token)).sub == "aanvaller-1"
        assert verifier.ready
        with pytest.raises(InvalidToken):
            await verifier.verify(with_claims_replaced(token, sub="ander"))
        await verifier.jwks.aclose()

    asyncio.run(scenario())


def test_unknown_kids_refetch_at_most_once_per_cooldown() -> None:
    key = RsaKey(kid="k1")
    with jwks_server([key]) as server:
        settings = CommonSettings(
            oidc_issuer=server.issuer, oidc_jwks_url=server.jwks_url, jwks_cooldown_seconds=3600
        )

        async def scenario() -> None:
            verifier = TokenVerifier(settings)
            assert (await verifier.verify(key.sign(claims_for(server.issuer)))).sub
            assert server.jwks_fetches == 1
            for n in range(20):
                with pytest.raises(InvalidToken):
                    await verifier.verify(key.sign(claims_for(server.issuer), kid=f"vals-{n}"))
            assert server.jwks_fetches == 1, "a flood of unknown kids must not hammer the issuer"
            await verifier.jwks.aclose()

        asyncio.run(scenario())
