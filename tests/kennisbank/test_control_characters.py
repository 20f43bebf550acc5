"""Control characters: a slug that cannot exist is 404; in written text they are a 400.

PostgreSQL text cannot hold NUL, so a NUL in a slug failed in the query (found by
schemathesis through the gateway, on PostgreSQL), and a NUL in a title was a 500 at the insert.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import DevIdp
from tests.kennisbank.conftest import BASE, artikel_body


@pytest.mark.parametrize(
    "slug",
    [
        "a%00b",
        "online%1Fbedreiging",
        "Online-Bedreiging",
        "caf%C3%A9",
        "dubbel--streepje",
        "-voor",
        "a" * 93,
    ],
)
def test_a_slug_that_cannot_exist_is_404_for_every_operation_on_it(
    client: TestClient, redacteur: dict[str, str], slug: str
) -> None:
    url = f"{BASE}/artikelen/{slug}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=redacteur).status_code == 404
    assert client.get(f"{url}/revisies", headers=redacteur).status_code == 404
    status = client.post(
        f"{url}/statuswijzigingen", json={"status": "gepubliceerd"}, headers=redacteur
    )
    assert status.status_code == 404, status.text
    patched = client.patch(url, json={"titel": "x"}, headers={**redacteur, "If-Match": '"1"'})
    assert patched.status_code == 404, patched.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("titel", "a\x00b"),
        ("titel", "een\nregel"),
        ("titel", "a\x7f"),
        ("samenvatting", "a\x00b"),
        ("samenvatting", "a\x1bb"),
        ("inhoud", "a\x00b"),
        ("inhoud", "a\x0bb"),
    ],
)
def test_control_characters_in_written_text_are_400_on_create_and_patch(
    client: TestClient, redacteur: dict[str, str], field: str, value: str
) -> None:
    created = client.post(
        f"{BASE}/artikelen", json=artikel_body(**{field: value}), headers=redacteur
    )
    assert created.status_code == 400, created.text
    assert [(p["name"], p["code"]) for p in created.json()["invalidParams"]] == [(field, "pattern")]

    slug = client.post(f"{BASE}/artikelen", json=artikel_body(), headers=redacteur).json()["slug"]
    patched = client.patch(f"{BASE}/artikelen/{slug}", json={field: value}, headers=redacteur)
    assert patched.status_code == 400, patched.text
    assert [p["name"] for p in patched.json()["invalidParams"]] == [field]


def test_prose_keeps_tabs_and_line_breaks(client: TestClient, redacteur: dict[str, str]) -> None:
    body = artikel_body(samenvatting="Eerst dit.\r\nDan dat.", inhoud="a\tb\r\n\nc\n")
    created = client.post(f"{BASE}/artikelen", json=body, headers=redacteur)
    assert created.status_code == 201, created.text
    assert created.json()["inhoud"] == "a\tb\r\n\nc\n"


def test_a_malformed_slug_is_judged_after_the_role_so_it_reveals_nothing(
    client: TestClient, devidp: DevIdp
) -> None:
    url = f"{BASE}/artikelen/a%00b"
    assert client.patch(url, json={"titel": "x"}).status_code == 401
    melder = devidp.headers("melder-cc", ["melder"], "GM0363")
    assert client.get(f"{url}/revisies", headers=melder).status_code == 403
    assert client.get(url, headers=melder).status_code == 404
