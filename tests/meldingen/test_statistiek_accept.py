"""Statistics in the media type the client accepts: JSON, CSV, or 406 problem+json.

Against the real app and database (SQLite and PostgreSQL); the rules of the parser itself
are in tests/common/test_negotiation.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.conftest import DevIdp

STAT = "/api/meldingen/v1/statistieken"
PARAMS = {"groepeerOp": ["maand", "gedragstype"]}


@pytest.fixture
def analist(devidp: DevIdp, unique_sub: Callable[[str], str]) -> dict[str, str]:
    return devidp.headers(unique_sub("analist"), ["analist"], "GM0363")


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        ("text/*", "text/csv; charset=utf-8"),
        ("text/csv;q=0.8, application/json;q=0.5", "text/csv; charset=utf-8"),
        ("text/csv;q=0, */*", "application/json"),
    ],
)
def test_the_answer_is_in_the_media_type_accepted(
    client: TestClient, analist: dict[str, str], accept: str | None, media_type: str
) -> None:
    headers = analist if accept is None else {**analist, "Accept": accept}
    response = client.get(STAT, params=PARAMS, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize(
    "accept", ["application/xml", "text/html", "text/csv;q=0, application/json;q=0", "*/*;q=0"]
)
def test_an_accept_it_cannot_satisfy_is_406_problem_json(
    client: TestClient, analist: dict[str, str], accept: str
) -> None:
    response = client.get(STAT, params=PARAMS, headers={**analist, "Accept": accept})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 406
    assert problem["type"] == "about:blank"
    assert "application/json" in problem["detail"]
    assert "text/csv" in problem["detail"]
    head = client.head(STAT, params=PARAMS, headers={**analist, "Accept": accept})
    assert (head.status_code, head.content) == (406, b"")


def test_406_comes_after_401_and_403_and_before_field_validation(
    client: TestClient, devidp: DevIdp, analist: dict[str, str], unique_sub: Callable[[str], str]
) -> None:
    xml = {"Accept": "application/xml"}
    assert client.get(STAT, params=PARAMS, headers=xml).status_code == 401
    melder = devidp.headers(unique_sub("melder"), ["melder"], "GM0363")
    assert client.get(STAT, params=PARAMS, headers={**melder, **xml}).status_code == 403
    bad_field = {"groepeerOp": "leeftijd"}
    assert client.get(STAT, params=bad_field, headers={**analist, **xml}).status_code == 406
    assert client.get(STAT, params=bad_field, headers=analist).status_code == 400


def test_the_document_names_406_and_both_media_types(client: TestClient) -> None:
    document = client.get("/api/meldingen/v1/openapi.json").json()
    operation = document["paths"]["/statistieken"]["get"]
    assert "application/problem+json" in operation["responses"]["406"]["content"]
    assert "Accept" in operation["responses"]["406"]["description"]
    assert {"application/json", "text/csv"} <= set(operation["responses"]["200"]["content"])
