"""The identity provider unreachable: cached keys keep working, unknown keys are refused.

Our own dev IdP and a meldingen process on SQLite. The IdP is stopped; the service's key
cache goes stale on purpose (short TTL) so it must try, fail and keep the keys it has.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.common.jwt_forge import RsaKey, claims_for
from tests.conftest import Backend
from tests.meldingen.conftest import melding_body
from tests.support.processes import RunningProcess, free_port, start_process
from tests.support.waiting import wait_until

BASE = "/api/meldingen/v1"


@pytest.fixture
def idp_and_service(tmp_path: Path) -> Iterator[tuple[RunningProcess, RunningProcess]]:
    port = free_port()
    idp = start_process(
        "devidp",
        ["devidp", "serve"],
        env={
            "WEERBAAR_DATA_DIR": str(tmp_path / "idp"),
            "WEERBAAR_OIDC_ISSUER": f"http://127.0.0.1:{port}",
        },
        log_dir=tmp_path,
        port=port,
    )
    backend = Backend("idp-fault", tmp_path / "data")
    backend.migrate("meldingen")
    service = start_process(
        "meldingen",
        ["services.meldingen", "serve"],
        env={
            **backend.env(),
            "WEERBAAR_OIDC_ISSUER": idp.url,
            "WEERBAAR_ENV": "test",
            "WEERBAAR_JWKS_CACHE_SECONDS": "1",
            "WEERBAAR_JWKS_COOLDOWN_SECONDS": "1",
        },
        log_dir=tmp_path,
        ready_path="/health/ready",
    )
    try:
        yield idp, service
    finally:
        service.stop()
        idp.stop()


def _token(idp: RunningProcess, sub: str) -> str:
    body = {"sub": sub, "roles": ["melder"], "org": "GM0363", "name": None}
    response = httpx.post(f"{idp.url}/dev/token", json=body, timeout=10)
    response.raise_for_status()
    return str(response.json()["access_token"])


def test_cached_keys_keep_working_and_unknown_keys_are_refused_while_idp_is_down(
    idp_and_service: tuple[RunningProcess, RunningProcess],
) -> None:
    idp, service = idp_and_service
    token = _token(idp, "idp-down-melder")
    bearer = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=service.url, timeout=10) as http:
        assert http.get(f"{BASE}/meldingen", headers=bearer).status_code == 200
        idp.stop()
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{idp.url}/health/live", timeout=2)

        def refresh_failed_yet_token_accepted() -> bool:
            listed = http.get(f"{BASE}/meldingen", headers=bearer)
            assert listed.status_code == 200, listed.text  # at every moment, not just at the end
            return "jwks fetch failed" in service.log()

        # The key cache (1 s) goes stale: a request makes the service try the IdP, and fail.
        wait_until(refresh_failed_yet_token_accepted, what="a failed key refresh", interval=0.2)

        for _ in range(3):
            listed = http.get(f"{BASE}/meldingen", headers=bearer)
            assert listed.status_code == 200, listed.text
        created = http.post(f"{BASE}/meldingen", json=melding_body(), headers=bearer)
        assert created.status_code == 201, created.text
        assert http.get("/health/ready").status_code == 200

        # A key the service never saw, with otherwise perfect claims: refused.
        rogue = RsaKey("rogue-key-1")
        forged = rogue.sign(claims_for(idp.url, sub="idp-down-melder"))
        refused = http.get(f"{BASE}/meldingen", headers={"Authorization": f"Bearer {forged}"})
        assert refused.status_code == 401
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.headers["www-authenticate"].startswith("Bearer")

        # The same rogue key claiming the real key's id: the signature does not verify.
        import jose.jwt

        real_kid = jose.jwt.get_unverified_header(token)["kid"]
        spoofed = rogue.sign(claims_for(idp.url, sub="idp-down-melder"), kid=real_kid)
        spoof = http.get(f"{BASE}/meldingen", headers={"Authorization": f"Bearer {spoofed}"})
        assert spoof.status_code == 401

        # and the good token still works after the refused ones triggered refetch attempts
        assert http.get(f"{BASE}/meldingen", headers=bearer).status_code == 200
    assert "jwks fetch failed" in service.log()
