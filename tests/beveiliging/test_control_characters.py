"""Control characters in filters and ids: a 400 or a 404, never a 500.

PostgreSQL text cannot hold NUL, so a NUL that reached a query failed there (found by
schemathesis through the gateway, on PostgreSQL).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.beveiliging.conftest import Token, gemeente
from tests.beveiliging.helpers import BASE


@pytest.mark.parametrize("path", ["/beveiligingsmaatregelen", "/woningscans"])
@pytest.mark.parametrize("betreft", ["a\x00b", "a\x1fb", "a\x7f"])
def test_a_subject_filter_with_a_control_character_is_a_400(
    client: TestClient, token: Token, path: str, betreft: str
) -> None:
    adviseur = token("adviseur-cc", ["beveiligingsadviseur"], gemeente())
    response = client.get(f"{BASE}{path}", params={"betreft": betreft}, headers=adviseur)
    assert response.status_code == 400, response.text
    assert [p["name"] for p in response.json()["invalidParams"]] == ["betreft"]


@pytest.mark.parametrize("code", ["a%00b", "paniek%1Fknop", "PANIEKKNOP"])
def test_a_catalogue_code_that_cannot_exist_is_404(
    client: TestClient, token: Token, code: str
) -> None:
    org = gemeente()
    melder = token("melder-cc", ["melder"], org)
    assert client.get(f"{BASE}/maatregelen/{code}", headers=melder).status_code == 404
    beheerder = token("beheerder-cc", ["beheerder"], org)
    patched = client.patch(f"{BASE}/maatregelen/{code}", json={"naam": "x"}, headers=beheerder)
    assert patched.status_code == 404, patched.text
