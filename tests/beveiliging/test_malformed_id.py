"""A malformed id is 404, the same answer as a well-formed id that is not there or out of
reach, as in meldingen (beveiliging typed its path ids as UUID and answered 400)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.beveiliging.conftest import Token, gemeente, uniek
from tests.beveiliging.helpers import ADRES, BASE

MALFORMED = ["geen-uuid", "1234", "%00", "a%1Fb", "x" * 300]
REQUESTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/woningscans/{id}", None),
    ("PATCH", "/woningscans/{id}", {"adres": ADRES}),
    ("POST", "/woningscans/{id}/statuswijzigingen", {"status": "geannuleerd"}),
    ("GET", "/beveiligingsmaatregelen/{id}", None),
    ("POST", "/beveiligingsmaatregelen/{id}/statuswijzigingen", {"status": "goedgekeurd"}),
    ("GET", "/risicoanalyses/{id}", None),
    ("GET", "/veiligheidspakketten/{id}", None),
]


def _problem(response: Any) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["type"], body["detail"]


@pytest.mark.parametrize(("method", "path", "body"), REQUESTS)
def test_a_malformed_id_is_the_same_404_as_an_unknown_one(
    client: TestClient, token: Token, method: str, path: str, body: dict[str, Any] | None
) -> None:
    adviseur = token(uniek("adviseur-id"), ["beveiligingsadviseur"], gemeente())
    unknown = client.request(
        method, f"{BASE}{path.format(id=uuid.uuid4())}", json=body, headers=adviseur
    )
    assert unknown.status_code == 404, unknown.text
    for raw in MALFORMED:
        response = client.request(
            method, f"{BASE}{path.format(id=raw)}", json=body, headers=adviseur
        )
        assert _problem(response) == _problem(unknown), (raw, response.text)
