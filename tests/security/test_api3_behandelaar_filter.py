"""API3: the `behandelaar` filter must not reveal a property hidden from the melder.

A melder does not see who handles their report; filtering their own list on
`behandelaar=<sub>` would tell them (count 1 for the real handler, 0 for others). The filter is
for handlers: a melder gets 400 naming `behandelaar`, and a handler who also reported never
finds their own meldingen through it.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.conftest import DevIdp
from tests.meldingen.conftest import BASE, Scene, report


def _assign(client: TestClient, scene: Scene, melding_id: str, to: str) -> None:
    assigned = client.post(
        f"{BASE}/meldingen/{melding_id}/toewijzing", json={"behandelaar": to}, headers=scene.handler
    )
    assert assigned.status_code == 200, assigned.text


def test_melder_may_not_filter_on_behandelaar(
    client: TestClient, scene: Scene, devidp: DevIdp, unique_sub: Callable[[str], str]
) -> None:
    handler_sub = unique_sub("echte-behandelaar")
    _assign(client, scene, scene.id, handler_sub)
    for value in (handler_sub, "iemand-anders", "me"):
        listed = client.get(
            f"{BASE}/meldingen", params={"behandelaar": value}, headers=scene.melder
        )
        assert listed.status_code == 400, (value, listed.text)
        assert listed.headers["content-type"] == "application/problem+json"
        assert [p["name"] for p in listed.json()["invalidParams"]] == ["behandelaar"]
        assert handler_sub not in listed.text


def test_handler_filter_never_reveals_the_handler_of_own_report(
    client: TestClient, scene: Scene, devidp: DevIdp, unique_sub: Callable[[str], str]
) -> None:
    both_sub = unique_sub("beide")
    both = devidp.headers(both_sub, ["melder", "behandelaar"], scene.org)
    own = report(client, both)
    colleague = unique_sub("collega")
    _assign(client, scene, own, colleague)
    _assign(client, scene, scene.id, colleague)
    listed = client.get(f"{BASE}/meldingen", params={"behandelaar": colleague}, headers=both)
    assert listed.status_code == 200, listed.text
    assert [item["id"] for item in listed.json()["results"]] == [scene.id]
    assert listed.json()["count"] == 1
