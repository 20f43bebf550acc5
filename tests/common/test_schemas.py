"""The common wire bases through a real FastAPI app: unknown is `unknown_field`, read-only is
`read_only`, output is camelCase, the subject pattern refuses control characters."""

from __future__ import annotations

from typing import Annotated

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.common.problems import install_problem_handlers
from services.common.schemas import (
    ApiInput,
    ApiOutput,
    Distinct,
    OrganisationCode,
    ReadOnly,
    Subject,
)


class ThingCreate(ApiInput):
    display_name: str
    owner: Subject | None = None
    organisation: OrganisationCode | None = None
    tags: Annotated[list[str], Distinct()] | None = None
    id: ReadOnly = None
    created_at: ReadOnly = None


class ThingOut(ApiOutput):
    display_name: str
    created_at: str


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things", response_model=ThingOut)
    async def create_thing(body: ThingCreate) -> ThingOut:
        return ThingOut(display_name=body.display_name, created_at="2026-01-01T00:00:00Z")

    return app


def _post(body: object) -> httpx.Response:
    with TestClient(_app()) as client:
        response: httpx.Response = client.post("/things", json=body)
    return response


def _codes(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}


def test_output_is_camel_case() -> None:
    response = _post({"displayName": "a"})
    assert response.status_code == 200, response.text
    assert response.json() == {"displayName": "a", "createdAt": "2026-01-01T00:00:00Z"}


@pytest.mark.parametrize("value", [None, "x", 1, {"a": 1}])
def test_a_read_only_field_is_read_only_whatever_its_value(value: object) -> None:
    codes = _codes(_post({"displayName": "a", "id": value, "createdAt": value}))
    assert codes == {"id": "read_only", "createdAt": "read_only"}


def test_an_unknown_field_is_unknown_field() -> None:
    assert _codes(_post({"displayName": "a", "colour": "red"})) == {"colour": "unknown_field"}


def test_snake_case_names_are_unknown_on_input() -> None:
    assert _codes(_post({"display_name": "a"})) == {
        "displayName": "required",
        "display_name": "unknown_field",
    }


@pytest.mark.parametrize("owner", ["a\x00b", "a\x1fb", "a\x7fb", "a b", "a\tb", ""])
def test_a_subject_refuses_whitespace_and_control_characters(owner: str) -> None:
    codes = _codes(_post({"displayName": "a", "owner": owner}))
    assert codes["owner"] in {"pattern", "min_length"}


def test_a_plain_subject_passes() -> None:
    response = _post({"displayName": "a", "owner": "user-1@idp"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(("code", "ok"), [("GM0363", True), ("OWB", True), ("GM٠٣٦٣", False)])
def test_organisation_code_is_anchored_and_ascii(code: str, ok: bool) -> None:
    response = _post({"displayName": "a", "organisation": code})
    if ok:
        assert response.status_code == 200, response.text
    else:
        assert _codes(response) == {"organisation": "pattern"}


def test_distinct_refuses_repeats() -> None:
    assert _codes(_post({"displayName": "a", "tags": ["x", "x"]})) == {"tags": "unique"}


def test_distinct_is_documented_as_unique_items() -> None:
    """Found by schemathesis: repeats were valid by the documents and a 400 by the server."""
    tags = ThingCreate.model_json_schema(by_alias=True)["properties"]["tags"]["anyOf"][0]
    assert tags == {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
