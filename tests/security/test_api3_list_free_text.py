"""API3 broken object property level authorization: free text only through logged reads.

DESIGN.md part D, "Lists carry no free text for handlers": a handler's list of meldingen
(any page, any filter, `kenmerk` included) and the aftercare list carry no `omschrijving` or
`uitkomst`, so reading a report's text is always an entry in its access log. The melder's own
list keeps their text. Contract v1.1 names this narrowing in the OpenAPI changelog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.conftest import DevIdp
from tests.meldingen.conftest import BASE, Scene

TEXT = "Een bezoeker dreigde aan de balie mijn auto te vernielen."


def _inzages(client: TestClient, scene: Scene) -> list[str]:
    log = client.get(scene.url("/inzages"), headers=scene.melder)
    assert log.status_code == 200, log.text
    return [entry["actie"] for entry in log.json()["results"]]


def test_handler_list_pages_carry_no_omschrijving(client: TestClient, scene: Scene) -> None:
    kenmerk = client.get(scene.url(), headers=scene.melder).json()["kenmerk"]
    for params in ({}, {"kenmerk": kenmerk}, {"pageSize": 1}, {"sortering": "prioriteit"}):
        listed = client.get(f"{BASE}/meldingen", params=params, headers=scene.handler)
        assert listed.status_code == 200, listed.text
        items = listed.json()["results"]
        assert [item["id"] for item in items] == [scene.id]
        assert "omschrijving" not in items[0], params
        assert TEXT not in listed.text
    assert _inzages(client, scene) == []  # nothing was read, so nothing is logged
    detail = client.get(scene.url(), headers=scene.handler)
    assert detail.json()["omschrijving"] == TEXT
    assert _inzages(client, scene) == ["bekeken"]


def test_melder_own_list_keeps_their_text(client: TestClient, scene: Scene) -> None:
    listed = client.get(f"{BASE}/meldingen", headers=scene.melder)
    assert listed.status_code == 200
    assert listed.json()["results"][0]["omschrijving"] == TEXT


def test_handler_who_reported_sees_own_text_but_not_colleagues(
    client: TestClient,
    devidp: DevIdp,
    scene: Scene,
    unique_sub: Callable[[str], str],
) -> None:
    both = devidp.headers(unique_sub("beide"), ["melder", "behandelaar"], scene.org)
    own = client.post(
        f"{BASE}/meldingen",
        json={
            "gedragstype": "verward_gedrag",
            "vormen": ["verbaal"],
            "omschrijving": "Mijn eigen melding.",
            "datumVoorval": "2026-11-20T21:30:00+01:00",
            "functie": "ambtenaar",
        },
        headers=both,
    )
    assert own.status_code == 201, own.text
    items = {i["id"]: i for i in client.get(f"{BASE}/meldingen", headers=both).json()["results"]}
    assert items[own.json()["id"]]["omschrijving"] == "Mijn eigen melding."
    assert "omschrijving" not in items[scene.id]


def test_aftercare_list_carries_no_free_text(client: TestClient, scene: Scene) -> None:
    past = (datetime.now(UTC) - timedelta(days=2)).isoformat()
    moments = scene.url("/nazorgmomenten")
    overdue = client.post(
        moments, json={"gepland": past, "omschrijving": "Geheim gesprek"}, headers=scene.handler
    )
    assert overdue.status_code == 201, overdue.text
    done = client.post(
        moments, json={"gepland": past, "omschrijving": "Ander gesprek"}, headers=scene.handler
    ).json()
    recorded = client.patch(
        f"{moments}/{done['id']}",
        json={"uitgevoerd": True, "uitkomst": "Vertrouwelijke uitkomst"},
        headers=scene.handler,
    )
    assert recorded.status_code == 200, recorded.text
    for params in ({"verlopen": "true"}, {"verlopen": "false"}, {}):
        listed = client.get(f"{BASE}/nazorgmomenten", params=params, headers=scene.handler)
        assert listed.status_code == 200, listed.text
        assert listed.json()["count"] >= 1, params
        for item in listed.json()["results"]:
            assert "omschrijving" not in item, item
            assert "uitkomst" not in item, item
        assert "Geheim gesprek" not in listed.text
        assert "Vertrouwelijke uitkomst" not in listed.text
    # The melding's own aftercare endpoint shows the text, and that read is logged.
    own = client.get(moments, headers=scene.handler).json()["results"]
    assert {m["omschrijving"] for m in own} == {"Geheim gesprek", "Ander gesprek"}
    assert "bekeken" in _inzages(client, scene)


def test_contract_version_is_1_1_with_a_changelog(client: TestClient) -> None:
    response = client.get(f"{BASE}/openapi.json")
    document = response.json()
    assert document["info"]["version"] == "1.1.0"
    assert response.headers["api-version"] == "1.1.0"
    description = document["info"]["description"]
    assert "Wijzigingen in 1.1.0" in description
    assert "omschrijving" in description.split("Wijzigingen in 1.1.0", 1)[1]
