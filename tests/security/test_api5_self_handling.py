"""API5 broken function level authorization: nobody handles their own case.

A beveiligingsadviseur who creates a beveiligingsmaatregel for themselves (`betreft`), or a
veiligheidspakket with themselves as `burgemeester`, advises for themselves; both answered 201.
Like a handler on their own melding, that is 403 problem+json, and nothing is created.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient

from services.beveiliging.app import create_app
from services.beveiliging.config import BeveiligingSettings
from services.beveiliging.seed import seed
from tests.conftest import Backend, DevIdp

BASE = "/api/beveiliging/v1"
_SEEDED: set[str] = set()


@pytest.fixture
def client(backend: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    client = service_client(backend, "beveiliging", create_app, BeveiligingSettings)
    if backend.name not in _SEEDED:  # the catalogue of measures; seeding is idempotent
        settings = BeveiligingSettings(**backend.settings_kwargs(), env="test")
        asyncio.run(seed(settings, backend.target("beveiliging")))
        _SEEDED.add(backend.name)
    return client


def _maatregel(betreft: str) -> dict[str, str]:
    return {"maatregel": "paniekknop", "betreft": betreft, "kosten": "250.00", "financier": "rijk"}


def _forbidden(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_adviser_cannot_advise_a_measure_for_themselves(
    client: TestClient,
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> None:
    org = unique_org()
    sub = unique_sub("adviseur")
    adviser = devidp.headers(sub, ["beveiligingsadviseur"], org)
    _forbidden(
        client.post(f"{BASE}/beveiligingsmaatregelen", json=_maatregel(sub), headers=adviser)
    )
    mine = client.get(f"{BASE}/beveiligingsmaatregelen", headers=adviser).json()
    assert mine["count"] == 0
    # The control: for someone else the same body is fine.
    other = client.post(
        f"{BASE}/beveiligingsmaatregelen", json=_maatregel(unique_sub("ander")), headers=adviser
    )
    assert other.status_code == 201, other.text


def test_adviser_cannot_make_a_package_for_themselves(
    client: TestClient,
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> None:
    org = unique_org()
    sub = unique_sub("adviseur-burgemeester")
    adviser = devidp.headers(sub, ["beveiligingsadviseur", "melder"], org)
    body = {"burgemeester": sub, "gemeente": org, "startdatum": "2027-01-01"}
    _forbidden(client.post(f"{BASE}/veiligheidspakketten", json=body, headers=adviser))
    assert client.get(f"{BASE}/woningscans", headers=adviser).json()["count"] == 0
    assert client.get(f"{BASE}/beveiligingsmaatregelen", headers=adviser).json()["count"] == 0
    owb = devidp.headers(unique_sub("owb-adviseur"), ["beveiligingsadviseur"], "OWB")
    made = client.post(f"{BASE}/veiligheidspakketten", json=body, headers=owb)
    assert made.status_code == 201, made.text
