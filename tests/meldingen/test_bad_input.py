"""Bad input is a 400 problem naming every field at once; the order of checks is predictable.

DESIGN.md: 413 → 401 → 415 → 400 (malformed JSON) → 403 → 404 → 400 (fields) → 409/412.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import DevIdp
from tests.meldingen.conftest import melding_body

BASE = "/api/meldingen/v1"
MELDINGEN = f"{BASE}/meldingen"
ONE_MIB = 1024 * 1024


@pytest.fixture
def melder(devidp: DevIdp, unique_sub: Callable[[str], str]) -> dict[str, str]:
    return devidp.headers(unique_sub("melder"), ["melder"], "GM0363")


@pytest.fixture
def handler(devidp: DevIdp, unique_sub: Callable[[str], str]) -> dict[str, str]:
    return devidp.headers(unique_sub("behandelaar"), ["behandelaar"], "GM0363")


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail", "instance"} <= body.keys()
    return body


def invalid_params(response: httpx.Response) -> dict[str, str]:
    """`{name: code}` of a 400's invalidParams."""
    body = problem(response, 400)
    params = body["invalidParams"]
    assert all({"name", "code", "reason"} <= p.keys() for p in params)
    return {p["name"]: p["code"] for p in params}


def create(client: TestClient, headers: dict[str, str], body: Any) -> httpx.Response:
    return client.post(MELDINGEN, json=body, headers=headers)


# ---- field validation ------------------------------------------------------------------------


def test_missing_fields_are_all_named_at_once(client: TestClient, melder: dict[str, str]) -> None:
    params = invalid_params(create(client, melder, {}))
    assert params == {
        "gedragstype": "required",
        "vormen": "required",
        "omschrijving": "required",
        "datumVoorval": "required",
        "functie": "required",
    }


def test_unknown_enum_values_are_named(client: TestClient, melder: dict[str, str]) -> None:
    body = melding_body(gedragstype="boos", functie="koning", vormen=["verbaal", "zwaaien"])
    params = invalid_params(create(client, melder, body))
    assert params == {"gedragstype": "enum", "functie": "enum", "vormen.1": "enum"}


def test_empty_vormen_is_refused(client: TestClient, melder: dict[str, str]) -> None:
    assert invalid_params(create(client, melder, melding_body(vormen=[]))) == {
        "vormen": "min_items"
    }


def test_future_datum_voorval_is_refused(client: TestClient, melder: dict[str, str]) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    params = invalid_params(create(client, melder, melding_body(datumVoorval=tomorrow)))
    assert params == {"datumVoorval": "future_date"}


def test_datum_voorval_without_zone_is_refused(client: TestClient, melder: dict[str, str]) -> None:
    params = invalid_params(create(client, melder, melding_body(datumVoorval="2026-01-05T10:00")))
    assert list(params) == ["datumVoorval"]


def test_datum_voorval_before_year_one_in_utc_is_refused(
    client: TestClient, melder: dict[str, str]
) -> None:
    body = melding_body(datumVoorval="0001-01-01T00:00:00+01:00")
    assert invalid_params(create(client, melder, body)) == {"datumVoorval": "out_of_range"}


def test_control_characters_in_subjects_are_refused(
    client: TestClient, melder: dict[str, str], handler: dict[str, str]
) -> None:
    """PostgreSQL text cannot hold NUL: a subject with one must be a 400, never a 500."""
    on_behalf = create(client, handler, melding_body(melder="iemand\x00anders"))
    assert invalid_params(on_behalf) == {"melder": "pattern"}
    melding = create(client, melder, melding_body()).json()
    assign = client.post(
        f"{MELDINGEN}/{melding['id']}/toewijzing",
        json={"behandelaar": "behandelaar\x1b[31m"},
        headers=handler,
    )
    assert invalid_params(assign) == {"behandelaar": "pattern"}


def test_omschrijving_over_10000_characters_is_refused(
    client: TestClient, melder: dict[str, str]
) -> None:
    at_limit = create(client, melder, melding_body(omschrijving="a" * 10_000))
    assert at_limit.status_code == 201
    over = create(client, melder, melding_body(omschrijving="a" * 10_001))
    assert invalid_params(over) == {"omschrijving": "max_length"}


def test_empty_omschrijving_is_refused(client: TestClient, melder: dict[str, str]) -> None:
    assert invalid_params(create(client, melder, melding_body(omschrijving=""))) == {
        "omschrijving": "min_length"
    }


def test_unknown_fields_are_refused_not_ignored(client: TestClient, melder: dict[str, str]) -> None:
    body = melding_body(ernst="hoog", adres={"straat": "Dam"})
    assert invalid_params(create(client, melder, body)) == {
        "ernst": "unknown_field",
        "adres": "unknown_field",
    }


def test_read_only_fields_are_refused_not_ignored(
    client: TestClient, melder: dict[str, str]
) -> None:
    body = melding_body(status="afgehandeld", kenmerk="MLD-2026-999999")
    assert invalid_params(create(client, melder, body)) == {
        "status": "read_only",
        "kenmerk": "read_only",
    }


def test_wrong_types_are_named(client: TestClient, melder: dict[str, str]) -> None:
    body = melding_body(vertrouwelijk="ja", vormen="verbaal", omschrijving=42)
    params = invalid_params(create(client, melder, body))
    assert set(params) == {"vertrouwelijk", "vormen", "omschrijving"}


def test_several_kinds_of_problem_come_together(client: TestClient, melder: dict[str, str]) -> None:
    body = melding_body(gedragstype="boos", vormen=[], extra=1)
    del body["functie"]
    params = invalid_params(create(client, melder, body))
    assert params == {
        "gedragstype": "enum",
        "vormen": "min_items",
        "extra": "unknown_field",
        "functie": "required",
    }


def test_patch_refuses_every_field_but_prioriteit(
    client: TestClient, melder: dict[str, str], handler: dict[str, str]
) -> None:
    melding = create(client, melder, melding_body()).json()
    response = client.patch(
        f"{MELDINGEN}/{melding['id']}",
        json={"prioriteit": "hoog", "omschrijving": "anders", "status": "afgehandeld"},
        headers=handler,
    )
    assert invalid_params(response) == {"omschrijving": "read_only", "status": "read_only"}
    unknown = client.patch(
        f"{MELDINGEN}/{melding['id']}", json={"prioriteit": "dringend"}, headers=handler
    )
    assert invalid_params(unknown) == {"prioriteit": "enum"}


def test_referral_needs_doorverwezen_naar(
    client: TestClient, melder: dict[str, str], handler: dict[str, str]
) -> None:
    melding = create(client, melder, melding_body()).json()
    response = client.post(
        f"{MELDINGEN}/{melding['id']}/statuswijzigingen",
        json={"status": "doorverwezen"},
        headers=handler,
    )
    assert invalid_params(response) == {"doorverwezenNaar": "required"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"pageSize": 101}, {"pageSize": "maximum"}),
        ({"pageSize": 0}, {"pageSize": "minimum"}),
        ({"page": 0}, {"page": "minimum"}),
        ({"page": "twee"}, {"page": "type"}),
        ({"status": "weg"}, {"status": "enum"}),
        ({"sortering": "omschrijving"}, {"sortering": "enum"}),
        ({"van": "gisteren"}, {"van": "format"}),
        ({"van": "2026-01-01T00:00:00"}, {"van": "timezone"}),
        ({"tot": "2026-01-01"}, {"tot": "timezone"}),
        ({"kenmerk": "MLD\x00"}, {"kenmerk": "pattern"}),
        ({"behandelaar": "a\x00b"}, {"behandelaar": "pattern"}),
        ({"pageSize": 101, "status": "weg"}, {"pageSize": "maximum", "status": "enum"}),
    ],
    ids=lambda value: json.dumps(value) if isinstance(value, dict) else str(value),
)
def test_bad_query_parameters_are_named(
    client: TestClient, melder: dict[str, str], params: dict[str, Any], expected: dict[str, str]
) -> None:
    assert invalid_params(client.get(MELDINGEN, params=params, headers=melder)) == expected


def test_page_size_100_is_allowed(client: TestClient, melder: dict[str, str]) -> None:
    assert client.get(MELDINGEN, params={"pageSize": 100}, headers=melder).status_code == 200


def test_malformed_json_is_a_400_problem(client: TestClient, melder: dict[str, str]) -> None:
    response = client.post(
        MELDINGEN,
        content=b'{"gedragstype": "verward_gedrag",',
        headers={**melder, "Content-Type": "application/json"},
    )
    body = problem(response, 400)
    assert body["type"] == "urn:weerbaar:probleem:ongeldige-json"
    # Where, as a partner reads it; the decoder's offset is no field (it was `name: "33"`).
    assert body["detail"] == (
        "Regel 1, kolom 34: hier hoort een naam tussen dubbele aanhalingstekens."
    )
    assert "invalidParams" not in body


# Every body that is not the JSON the contract reads is the same problem (json_body.py), where
# a deep nest and a long number were a bare `about:blank` 400 and the rest was read leniently.
UNDECODABLE = {
    "10,000-deep nest": b"[" * 10_000 + b"]" * 10_000,
    "65-deep nest": b'{"vormen": ' + b"[" * 64 + b"]" * 64 + b"}",
    "5,000-digit number": b'{"gedragstype": ' + b"7" * 5_000 + b"}",
    "1e400": b'{"gedragstype": 1e400}',
    "invalid UTF-8 (Latin-1)": b'{"omschrijving": "caf\xe9"}',
    "UTF-16": json.dumps(melding_body()).encode("utf-16"),
    "BOM": b"\xef\xbb\xbf" + json.dumps(melding_body()).encode(),
    "NaN": b'{"gedragstype": NaN}',
    "-Infinity": b'{"gedragstype": -Infinity}',
    "repeated name": b'{"functie": "raadslid", "functie": "wethouder"}',
}


@pytest.mark.parametrize("payload", UNDECODABLE.values(), ids=UNDECODABLE.keys())
def test_undecodable_bodies_are_one_problem_type(
    client: TestClient, melder: dict[str, str], payload: bytes
) -> None:
    response = client.post(
        MELDINGEN, content=payload, headers={**melder, "Content-Type": "application/json"}
    )
    body = problem(response, 400)
    assert body["type"] == "urn:weerbaar:probleem:ongeldige-json"
    assert body["title"] == "De body is geen geldige JSON."
    assert "invalidParams" not in body
    assert body["instance"] == MELDINGEN


def test_a_repeated_name_is_refused_not_last_wins(
    client: TestClient, melder: dict[str, str]
) -> None:
    text = json.dumps(melding_body(functie="raadslid"))[:-1] + ', "functie": "wethouder"}'
    response = client.post(
        MELDINGEN, content=text.encode(), headers={**melder, "Content-Type": "application/json"}
    )
    assert problem(response, 400)["detail"] == (
        'De naam "functie" staat twee keer in hetzelfde object.'
    )
    listed = client.get(MELDINGEN, headers=melder).json()
    assert listed["count"] == 0  # nothing stored under either reading


@pytest.mark.parametrize("payload", [b"[]", b'"tekst"', b"null", b"42"])
def test_json_that_is_not_an_object_is_a_400_problem(
    client: TestClient, melder: dict[str, str], payload: bytes
) -> None:
    response = client.post(
        MELDINGEN, content=payload, headers={**melder, "Content-Type": "application/json"}
    )
    problem(response, 400)


# ---- size and content type -------------------------------------------------------------------


def test_body_over_one_mebibyte_is_413(client: TestClient, melder: dict[str, str]) -> None:
    huge = json.dumps(melding_body(omschrijving="x" * ONE_MIB)).encode()
    response = client.post(
        MELDINGEN, content=huge, headers={**melder, "Content-Type": "application/json"}
    )
    problem(response, 413)


def test_streamed_body_over_one_mebibyte_is_413(client: TestClient, melder: dict[str, str]) -> None:
    """Without Content-Length the limit still holds while the body streams in."""

    def chunks() -> Any:
        for _ in range(20):
            yield b"x" * (ONE_MIB // 10)

    response = client.post(
        MELDINGEN, content=chunks(), headers={**melder, "Content-Type": "application/json"}
    )
    problem(response, 413)


def test_non_json_body_is_415(client: TestClient, melder: dict[str, str]) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
        response = client.post(
            MELDINGEN,
            content=json.dumps(melding_body()).encode(),
            headers={**melder, "Content-Type": content_type},
        )
        problem(response, 415)


def test_unsupported_method_is_405_whatever_its_body(
    client: TestClient, melder: dict[str, str]
) -> None:
    """Found by schemathesis (unsupported_method): a multipart PUT on the upload route was
    judged on its media type (415) although no PUT exists there; 405 names what does."""
    melding = create(client, melder, melding_body()).json()
    for path in (MELDINGEN, f"{MELDINGEN}/{melding['id']}/bijlagen"):
        for content_type in ("multipart/form-data; boundary=x", "text/plain"):
            response = client.put(
                path, content=b"--x--", headers={**melder, "Content-Type": content_type}
            )
            problem(response, 405)
            assert "POST" in response.headers["allow"], response.headers
    unknown = client.post(
        f"{BASE}/bestaat-niet", content=b"x", headers={**melder, "Content-Type": "text/plain"}
    )
    problem(unknown, 404)


def test_body_without_content_type_is_415(client: TestClient, melder: dict[str, str]) -> None:
    request = client.build_request(
        "POST", MELDINGEN, content=json.dumps(melding_body()).encode(), headers=melder
    )
    assert "content-type" not in request.headers
    problem(client.send(request), 415)


# ---- hostile text ----------------------------------------------------------------------------

HOSTILE = [
    "'; DROP TABLE meldingen.melding; --",
    "Robert'); DELETE FROM melding WHERE '1'='1",
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "\u202egnitroper evah I\u202c en een RTL-override",
    "Dreigmail 😡🔪💣 met emoji en 👨‍👩‍👧 ZWJ-reeksen",
    "Zalgo: Z̷̢͓a̸l̵g̶o̵ en combinerende tekens: e\u0301 ≠ é",
    'Tabs\tnieuwe\nregels\r\nen \\ backslashes en "quotes" en %s %(x)s {0}',
    "\u200bnulbreedte\u200d\ufeffBOM en 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 buiten het BMP",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_stored_and_returned_verbatim(
    client: TestClient, melder: dict[str, str], handler: dict[str, str], text: str
) -> None:
    created = create(client, melder, melding_body(omschrijving=text))
    assert created.status_code == 201, created.text
    assert created.json()["omschrijving"] == text
    detail = client.get(f"{MELDINGEN}/{created.json()['id']}", headers=melder)
    assert detail.json()["omschrijving"] == text

    notes = f"{MELDINGEN}/{created.json()['id']}/notities"
    assert client.post(notes, json={"tekst": text}, headers=melder).status_code == 201
    assert client.get(notes, headers=melder).json()["results"][0]["tekst"] == text


# ---- order of checks -------------------------------------------------------------------------


def test_no_token_and_malformed_json_is_401(client: TestClient) -> None:
    response = client.post(
        MELDINGEN, content=b"{oops", headers={"Content-Type": "application/json"}
    )
    problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_no_token_and_non_json_body_is_401(client: TestClient) -> None:
    response = client.post(MELDINGEN, content=b"hallo", headers={"Content-Type": "text/plain"})
    problem(response, 401)


def test_oversized_body_without_token_is_413(client: TestClient) -> None:
    response = client.post(
        MELDINGEN, content=b"x" * (ONE_MIB + 1), headers={"Content-Type": "text/plain"}
    )
    problem(response, 413)


def test_valid_token_and_non_json_body_is_415(client: TestClient, melder: dict[str, str]) -> None:
    response = client.post(
        MELDINGEN, content=b"{oops", headers={**melder, "Content-Type": "text/plain"}
    )
    problem(response, 415)


def test_malformed_json_beats_the_role_check(devidp: DevIdp, client: TestClient) -> None:
    analist = devidp.headers("analist-volgorde", ["analist"], "GM0363")
    response = client.post(
        MELDINGEN, content=b"{oops", headers={**analist, "Content-Type": "application/json"}
    )
    assert problem(response, 400)["type"] == "urn:weerbaar:probleem:ongeldige-json"


def test_role_403_beats_field_errors(devidp: DevIdp, client: TestClient) -> None:
    analist = devidp.headers("analist-volgorde", ["analist"], "GM0363")
    problem(create(client, analist, {"onzin": True}), 403)


def test_reach_404_beats_field_errors(
    client: TestClient, melder: dict[str, str], devidp: DevIdp
) -> None:
    melding = create(client, melder, melding_body()).json()
    elsewhere = devidp.headers("behandelaar-elders", ["behandelaar"], "GM0599")
    response = client.patch(
        f"{MELDINGEN}/{melding['id']}", json={"prioriteit": "onzin"}, headers=elsewhere
    )
    problem(response, 404)


def test_field_errors_beat_state_conflicts(
    client: TestClient, melder: dict[str, str], handler: dict[str, str]
) -> None:
    melding = create(client, melder, melding_body()).json()
    url = f"{MELDINGEN}/{melding['id']}/statuswijzigingen"
    assert client.post(url, json={"status": "ingetrokken"}, headers=melder).status_code == 201
    # withdrawn: any move is a conflict, but a bad body is reported first
    assert invalid_params(client.post(url, json={"status": "weg"}, headers=handler)) == {
        "status": "enum"
    }
    problem(client.post(url, json={"status": "in_behandeling"}, headers=handler), 409)


def test_stale_if_match_is_412(
    client: TestClient, melder: dict[str, str], handler: dict[str, str]
) -> None:
    melding = create(client, melder, melding_body()).json()
    url = f"{MELDINGEN}/{melding['id']}"
    etag = client.get(url, headers=handler).headers["etag"]
    first = client.patch(url, json={"prioriteit": "hoog"}, headers={**handler, "If-Match": etag})
    assert first.status_code == 200
    assert first.headers["etag"] != etag
    stale = client.patch(url, json={"prioriteit": "spoed"}, headers={**handler, "If-Match": etag})
    assert problem(stale, 412)["type"] == "urn:weerbaar:probleem:verouderde-versie"
    assert client.get(url, headers=handler).json()["prioriteit"] == "hoog"


def test_if_match_takes_a_list_of_tags(
    client: TestClient, melder: dict[str, str], handler: dict[str, str]
) -> None:
    """RFC 9110: one tag of the list naming the current version is enough; none is 412."""
    melding = create(client, melder, melding_body()).json()
    url = f"{MELDINGEN}/{melding['id']}"
    etag = client.get(url, headers=handler).headers["etag"]
    listed = client.patch(
        url, json={"prioriteit": "hoog"}, headers={**handler, "If-Match": f'"x", {etag}'}
    )
    assert listed.status_code == 200, listed.text
    current = listed.headers["etag"]
    assert current != etag
    stale_list = client.patch(
        url,
        json={"prioriteit": "spoed"},
        headers={**handler, "If-Match": f'"x", {etag}, W/{current}'},
    )
    assert problem(stale_list, 412)["type"] == "urn:weerbaar:probleem:verouderde-versie"
    too_long = client.patch(
        url, json={"prioriteit": "spoed"}, headers={**handler, "If-Match": "x" * 201}
    )
    problem(too_long, 400)
    assert client.get(url, headers=handler).json()["prioriteit"] == "hoog"


def test_trailing_slash_is_404_not_a_redirect(client: TestClient, melder: dict[str, str]) -> None:
    response = client.get(f"{MELDINGEN}/", headers=melder, follow_redirects=False)
    problem(response, 404)
    assert "location" not in response.headers


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        # HEAD wherever GET is: every GET route answers it (services/common/head.py).
        ("DELETE", "/meldingen", {"GET", "HEAD", "POST"}),
        ("PUT", "/meldingen", {"GET", "HEAD", "POST"}),
        ("DELETE", "/meldingen/{id}", {"GET", "HEAD", "PATCH"}),
        ("PUT", "/meldingen/{id}", {"GET", "HEAD", "PATCH"}),
        ("GET", "/meldingen/{id}/statuswijzigingen", {"POST"}),
        ("GET", "/meldingen/{id}/toewijzing", {"POST"}),
        ("DELETE", "/meldingen/{id}/notities", {"GET", "HEAD", "POST"}),
    ],
)
def test_unsupported_method_is_405_with_every_allowed_method(
    client: TestClient, melder: dict[str, str], method: str, path: str, allowed: set[str]
) -> None:
    melding = create(client, melder, melding_body()).json()
    url = BASE + path.format(id=melding["id"])
    response = client.request(method, url, headers=melder)
    problem(response, 405)
    assert {m.strip() for m in response.headers["allow"].split(",")} == allowed


def test_malformed_id_is_404(client: TestClient, melder: dict[str, str]) -> None:
    problem(client.get(f"{MELDINGEN}/niet-een-uuid", headers=melder), 404)


def test_idempotency_key_over_64_characters_is_refused(
    client: TestClient, melder: dict[str, str]
) -> None:
    response = client.post(
        MELDINGEN, json=melding_body(), headers={**melder, "Idempotency-Key": "k" * 65}
    )
    assert list(invalid_params(response)) == ["Idempotency-Key"]
