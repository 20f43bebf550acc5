"""API4 unrestricted resource consumption: an error is never larger than what provoked it.

28,000 unknown answer keys (809 KiB) used to come back as a 2.5 MiB problem that echoed every
key. Now `invalidParams` lists at most the first 50 problems and `invalidParamsWeggelaten`
counts the rest; a name or reason that would carry client input at length is shortened.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from services.beveiliging.app import create_app as create_beveiliging
from services.beveiliging.config import BeveiligingSettings
from services.common.problems import MAX_INVALID_PARAMS, MAX_PROBLEM_TEXT
from services.meldingen.app import create_app as create_meldingen
from services.meldingen.config import MeldingenSettings
from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import melding_body

KEYS = 28_000
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def beveiliging(sqlite_only: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    return service_client(sqlite_only, "beveiliging", create_beveiliging, BeveiligingSettings)


@pytest.fixture
def meldingen(sqlite_only: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    return service_client(sqlite_only, "meldingen", create_meldingen, MeldingenSettings)


def _bounded(response: httpx.Response, sent: int, at_least: int) -> list[dict[str, Any]]:
    assert response.status_code == 400, response.text[:300]
    problem = response.json()
    params: list[dict[str, Any]] = problem["invalidParams"]
    assert len(params) == MAX_INVALID_PARAMS
    assert problem["invalidParamsWeggelaten"] >= at_least - MAX_INVALID_PARAMS
    assert len(response.content) < 20_000 < sent
    for param in params:
        assert len(param["name"]) <= MAX_PROBLEM_TEXT
        assert len(param["reason"]) <= MAX_PROBLEM_TEXT
    return params


def test_many_unknown_answer_keys_give_a_bounded_problem(
    beveiliging: TestClient, devidp: DevIdp
) -> None:
    antwoorden = {f"onbekende_vraag_{i:05d}": True for i in range(KEYS)}
    body = json.dumps({"vragenlijstVersie": 1, "antwoorden": antwoorden}).encode()
    response = beveiliging.post(
        "/api/beveiliging/v1/risicoanalyses",
        content=body,
        headers={**devidp.headers("versterker", ["melder"]), **JSON},
    )
    params = _bounded(response, len(body), at_least=KEYS)
    assert params[0] == {
        "name": "antwoorden.onbekende_vraag_00000",
        "code": "unknown_field",
        "reason": "Onbekende vraag.",
    }


def test_many_unknown_fields_give_a_bounded_problem(meldingen: TestClient, devidp: DevIdp) -> None:
    body = json.dumps(melding_body(**{f"veld{i:05d}": 1 for i in range(KEYS)})).encode()
    response = meldingen.post(
        "/api/meldingen/v1/meldingen",
        content=body,
        headers={**devidp.headers("versterker", ["melder"]), **JSON},
    )
    _bounded(response, len(body), at_least=KEYS)


def test_a_long_key_is_not_echoed_at_length(beveiliging: TestClient, devidp: DevIdp) -> None:
    long_key = "k" * 200_000
    body = json.dumps({"vragenlijstVersie": 1, "antwoorden": {long_key: True}}).encode()
    response = beveiliging.post(
        "/api/beveiliging/v1/risicoanalyses",
        content=body,
        headers={**devidp.headers("versterker", ["melder"]), **JSON},
    )
    assert response.status_code == 400
    assert len(response.content) < 20_000
    assert long_key not in response.text
    names = [p["name"] for p in response.json()["invalidParams"]]
    assert all(len(name) <= MAX_PROBLEM_TEXT for name in names)
    assert any(name.startswith("antwoorden.kkk") for name in names)
