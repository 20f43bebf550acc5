"""Which bodies count as JSON (services/common/json_body.py), and the middleware that refuses
the rest as one 400 `ongeldige-json` problem before the app reads them.

Found by an outside schemathesis run through the gateway: a malformed body named the
decoder's character offset as a field (`invalidParams[0].name == "33"`), and a 10,000-deep
nest or a 5,000-digit number was a bare `about:blank` 400.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from services.common.json_body import (
    MAX_JSON_DEPTH,
    MAX_JSON_NUMBER_LENGTH,
    MalformedJson,
    decode_json_body,
)
from services.common.middleware import JsonBodyMiddleware
from services.common.problems import install_problem_handlers


def _nest(depth: int, inner: str = "0") -> bytes:
    return ("[" * depth + inner + "]" * depth).encode()


def _refusal(body: bytes) -> str:
    with pytest.raises(MalformedJson) as refused:
        decode_json_body(body)
    return refused.value.detail


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b'{"a": 1,', "Regel 1, kolom 9: hier hoort een naam tussen dubbele aanhalingstekens."),
        (b'{\n  "a": 1\n  "b": 2\n}', "Regel 3, kolom 3: hier hoort een komma."),
        (b'{"a" 1}', "Regel 1, kolom 6: hier hoort een dubbele punt."),
        (b'{"a": }', "Regel 1, kolom 7: hier hoort een waarde."),
        (b'{"a": "open', "Regel 1, kolom 7: de tekst die hier begint, wordt niet afgesloten."),
        (b'{"a": 1} {}', "Regel 1, kolom 10: na de JSON-waarde volgt nog meer."),
        (b'{"a":\n "\xff"}', "Regel 2, kolom 3: byte 0xFF is geen geldige UTF-8."),
        ('{"a": 1}'.encode("utf-16"), "Regel 1, kolom 1: byte 0xFF is geen geldige UTF-8."),
        (
            b'\xef\xbb\xbf{"a": 1}',
            "Regel 1, kolom 1: de body begint met een byte order mark (BOM); "
            "stuur UTF-8 zonder BOM.",
        ),
        (b'{"a": NaN}', "NaN is geen JSON-getal; JSON kent geen NaN of Infinity."),
        (b"[Infinity]", "Infinity is geen JSON-getal; JSON kent geen NaN of Infinity."),
        (b"[-Infinity]", "-Infinity is geen JSON-getal; JSON kent geen NaN of Infinity."),
        (b'{"a": 1, "b": 2, "a": 3}', 'De naam "a" staat twee keer in hetzelfde object.'),
        (b'{"x": [{"k": 1, "k": 1}]}', 'De naam "k" staat twee keer in hetzelfde object.'),
        (b"[1e400]", "Het getal 1e400 is te groot voor een double."),
        (_nest(10_000), f"De body is dieper genest dan {MAX_JSON_DEPTH} niveaus."),
        (_nest(MAX_JSON_DEPTH + 1), f"De body is dieper genest dan {MAX_JSON_DEPTH} niveaus."),
    ],
)
def test_what_is_refused_and_what_the_partner_reads(body: bytes, detail: str) -> None:
    assert _refusal(body) == detail


def test_a_long_number_is_refused_and_quoted_short() -> None:
    detail = _refusal(b'{"x": ' + b"1" * 5_000 + b"}")
    assert detail.startswith("Het getal 1111")
    assert detail.endswith(f"… is langer dan {MAX_JSON_NUMBER_LENGTH} tekens.")
    assert len(detail) < 100
    assert _refusal(b"[-0." + b"5" * MAX_JSON_NUMBER_LENGTH + b"]").startswith("Het getal -0.55")


def test_values_up_to_the_limits_are_accepted() -> None:
    assert decode_json_body(_nest(MAX_JSON_DEPTH)) == json.loads(_nest(MAX_JSON_DEPTH))
    longest = "9" * MAX_JSON_NUMBER_LENGTH
    numbers = decode_json_body(f"[{longest}, -1.5e-3, 1e-400]".encode())
    assert numbers == [int(longest), -0.0015, 0.0]
    assert decode_json_body('{"naam": "Zoë ☂", "x": null}'.encode()) == {"naam": "Zoë ☂", "x": None}
    wide = [[], [[], []], {"a": []}] * 2_000
    assert decode_json_body(json.dumps(wide).encode()) == wide
    assert decode_json_body(b" 42 ") == 42  # a scalar is JSON; whether it fits is the schema's


def test_brackets_in_text_are_not_nesting() -> None:
    # Quotes and backslashes in the text must not make the depth count lose track of strings.
    deep_text = "[{" * 200 + '\\"\\\\'
    body = {"a": deep_text, "b\\": [deep_text, {"c": '"]]]]'}], "d": "\\"}
    assert decode_json_body(json.dumps(body).encode()) == body
    within = json.loads(_nest(MAX_JSON_DEPTH - 1, json.dumps(deep_text)))
    assert decode_json_body(json.dumps(within).encode()) == within


def _alternating(depth: int) -> Any:
    value: Any = 0
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


def test_depth_counts_every_branch_and_both_kinds_of_bracket() -> None:
    shallow = [[[]]] * 500  # many brackets, so the count runs; each branch only two deep
    too_deep = json.dumps([*shallow, _alternating(MAX_JSON_DEPTH)]).encode()
    assert _refusal(too_deep) == f"De body is dieper genest dan {MAX_JSON_DEPTH} niveaus."
    deepest = [*shallow, _alternating(MAX_JSON_DEPTH - 1)]
    assert decode_json_body(json.dumps(deepest).encode()) == deepest


# ---- the middleware, in a real app ------------------------------------------------------


class Thing(BaseModel):
    naam: str


def _app(*, with_middleware: bool = True) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(thing: Thing) -> dict[str, Any]:
        return {"naam": thing.naam}

    if with_middleware:
        app.add_middleware(JsonBodyMiddleware)
    return app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(_app()) as client:
        yield client


JSON = {"Content-Type": "application/json"}


def _problem(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == "urn:weerbaar:probleem:ongeldige-json"
    assert body["title"] == "De body is geen geldige JSON."
    assert "invalidParams" not in body
    return body


def test_the_middleware_answers_the_problem_with_the_path(client: TestClient) -> None:
    body = _problem(client.post("/things", content=b'{"naam": "x",', headers=JSON))
    assert body["detail"] == (
        "Regel 1, kolom 14: hier hoort een naam tussen dubbele aanhalingstekens."
    )
    assert body["instance"] == "/things"
    vendor = {"Content-Type": "application/vnd.weerbaar+json; charset=utf-8"}
    _problem(client.post("/things", content=b"[NaN]", headers=vendor))


def test_an_accepted_body_reaches_the_app_unchanged_also_in_chunks(client: TestClient) -> None:
    body = json.dumps({"naam": "Zoë [{"}).encode()
    assert client.post("/things", content=body, headers=JSON).json() == {"naam": "Zoë [{"}
    chunks = iter([body[:5], body[5:9], body[9:]])
    streamed = client.post("/things", content=chunks, headers=JSON)
    assert streamed.status_code == 200, streamed.text
    assert streamed.json() == {"naam": "Zoë [{"}


def test_fields_and_non_objects_stay_field_problems(client: TestClient) -> None:
    for body in (b"{}", b"[]", b"42", b'"x"', b"null"):
        answer = client.post("/things", content=body, headers=JSON)
        assert answer.status_code == 400, answer.text
        assert answer.json()["type"] == "urn:weerbaar:probleem:ongeldige-invoer", body
        assert answer.json()["invalidParams"], body


def test_no_route_means_404_or_405_before_the_body(client: TestClient) -> None:
    assert client.post("/elders", content=b"{oops", headers=JSON).status_code == 404
    assert client.put("/things", content=b"{oops", headers=JSON).status_code == 405


def test_fastapis_own_decoding_error_names_no_field_either() -> None:
    # Should a body reach FastAPI's decoder (an app without the middleware), its offset is
    # still no field: the same problem, with the position as line and column.
    with TestClient(_app(with_middleware=False)) as bare:
        body = _problem(bare.post("/things", content=b'{\n"naam": "x",', headers=JSON))
    assert body["detail"] == (
        "Regel 2, kolom 13: hier hoort een naam tussen dubbele aanhalingstekens."
    )
