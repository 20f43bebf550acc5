"""A slug that cannot exist (control characters, capitals) is 404, never a 500.

PostgreSQL text cannot hold NUL, so a NUL in the slug failed in the query (found by
schemathesis through the gateway, on PostgreSQL).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.kennisbank.conftest import BASE


@pytest.mark.parametrize("slug", ["a%00b", "online%1Fbedreiging", "Online-Bedreiging"])
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
