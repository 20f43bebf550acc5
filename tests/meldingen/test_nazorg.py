"""Aftercare: planning, recording, automatic moments on closing, the overdue listing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from tests.conftest import DevIdp
from tests.meldingen.conftest import Scene, melding_body

BASE = "/api/meldingen/v1"


def moments_url(scene: Scene) -> str:
    return scene.url("/nazorgmomenten")


def _at(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def test_handler_plans_and_records_and_melder_sees_it(client: TestClient, scene: Scene) -> None:
    created = client.post(
        moments_url(scene),
        json={"gepland": _at(3), "omschrijving": "Belafspraak"},
        headers=scene.handler,
    )
    assert created.status_code == 201, created.text
    moment = created.json()
    assert moment["uitgevoerd"] is False
    assert moment["verlopen"] is False
    assert moment["omschrijving"] == "Belafspraak"
    done = client.patch(
        f"{scene.url('/nazorgmomenten')}/{moment['id']}",
        json={"uitgevoerd": True, "uitkomst": "Gaat goed, geen verdere hulp nodig."},
        headers=scene.handler,
    )
    assert done.status_code == 200, done.text
    assert done.json()["uitgevoerd"] is True
    assert done.json()["uitgevoerdOp"] is not None
    seen = client.get(moments_url(scene), headers=scene.melder).json()
    assert seen["count"] == 1
    assert seen["results"][0]["uitkomst"] == "Gaat goed, geen verdere hulp nodig."
    reopen = client.patch(
        f"{scene.url('/nazorgmomenten')}/{moment['id']}",
        json={"uitgevoerd": False},
        headers=scene.handler,
    )
    assert reopen.status_code == 409
    assert reopen.json()["type"] == "urn:weerbaar:probleem:nazorg-al-uitgevoerd"
    log = client.get(f"{BASE}/meldingen/{scene.id}/inzages", headers=scene.melder).json()
    assert [e["actie"] for e in log["results"]] == ["nazorg_gewijzigd", "nazorg_gewijzigd"]


def test_roles_and_reach(
    client: TestClient,
    devidp: DevIdp,
    scene: Scene,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    body = {"gepland": _at(1), "omschrijving": "x"}
    other_handler = devidp.headers(unique_sub("h"), ["behandelaar"], unique_org())
    analist = devidp.headers(unique_sub("a"), ["analist"], scene.org)
    assert client.post(moments_url(scene), json=body, headers=scene.melder).status_code == 403
    assert client.post(moments_url(scene), json=body, headers=analist).status_code == 403
    assert client.post(moments_url(scene), json=body, headers=other_handler).status_code == 404
    assert (
        client.post(
            moments_url(scene), json={"gepland": "morgen"}, headers=other_handler
        ).status_code
        == 404
    )
    assert client.get(moments_url(scene), headers=other_handler).status_code == 404
    assert client.get(moments_url(scene), headers=analist).status_code == 403
    moment = client.post(moments_url(scene), json=body, headers=scene.handler).json()
    patch = {"uitgevoerd": True}
    assert (
        client.patch(
            f"{scene.url('/nazorgmomenten')}/{moment['id']}", json=patch, headers=scene.melder
        ).status_code
        == 403
    )
    assert (
        client.patch(
            f"{scene.url('/nazorgmomenten')}/{moment['id']}", json=patch, headers=other_handler
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"{scene.url('/nazorgmomenten')}/{uuid.uuid4()}", json=patch, headers=scene.handler
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"{scene.url('/nazorgmomenten')}/nope", json=patch, headers=scene.handler
        ).status_code
        == 404
    )
    bad = client.post(
        moments_url(scene),
        json={"gepland": "2026-01-01T10:00:00", "omschrijving": "", "x": 1},
        headers=scene.handler,
    )
    assert bad.status_code == 400
    assert {p["name"]: p["code"] for p in bad.json()["invalidParams"]} == {
        "gepland": "timezone",
        "omschrijving": "min_length",
        "x": "unknown_field",
    }


def test_handler_does_not_plan_aftercare_for_own_report(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    org = unique_org()
    both = devidp.headers(unique_sub("beide"), ["melder", "behandelaar"], org)
    mid = client.post(f"{BASE}/meldingen", json=melding_body(), headers=both).json()["id"]
    url = f"{BASE}/meldingen/{mid}/nazorgmomenten"
    assert (
        client.post(url, json={"gepland": _at(1), "omschrijving": "x"}, headers=both).status_code
        == 403
    )
    # Recording one is refused the same way, before the moment id is even looked at.
    for nid in (str(uuid.uuid4()), "geen-uuid"):
        recorded = client.patch(f"{url}/{nid}", json={"uitgevoerd": True}, headers=both)
        assert recorded.status_code == 403, recorded.text
        assert "eigen melding" in recorded.json()["detail"]


def test_closing_plans_one_and_four_weeks_unless_declined(
    client: TestClient, devidp: DevIdp, scene: Scene
) -> None:
    status_url = f"{BASE}/meldingen/{scene.id}/statuswijzigingen"
    closed = client.post(status_url, json={"status": "afgehandeld"}, headers=scene.handler)
    assert closed.status_code == 201
    moments = client.get(moments_url(scene), headers=scene.melder).json()["results"]
    assert len(moments) == 2
    assert all(m["automatisch"] for m in moments)
    now = datetime.now(UTC)
    offsets = sorted(round((datetime.fromisoformat(m["gepland"]) - now).days) for m in moments)
    assert offsets in ([6, 27], [7, 28])
    # Reopen and close again without aftercare: nothing new.
    assert (
        client.post(
            status_url, json={"status": "in_behandeling"}, headers=scene.handler
        ).status_code
        == 201
    )
    again = client.post(
        status_url, json={"status": "afgehandeld", "nazorgPlannen": False}, headers=scene.handler
    )
    assert again.status_code == 201
    assert client.get(moments_url(scene), headers=scene.melder).json()["count"] == 2


def test_overdue_listing_covers_handlers_reach_only(
    client: TestClient,
    devidp: DevIdp,
    scene: Scene,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    overdue = client.post(
        moments_url(scene),
        json={"gepland": _at(-2), "omschrijving": "Vergeten"},
        headers=scene.handler,
    ).json()
    future = client.post(
        moments_url(scene),
        json={"gepland": _at(5), "omschrijving": "Later"},
        headers=scene.handler,
    ).json()
    done = client.post(
        moments_url(scene),
        json={"gepland": _at(-3), "omschrijving": "Gedaan"},
        headers=scene.handler,
    ).json()
    client.patch(
        f"{scene.url('/nazorgmomenten')}/{done['id']}",
        json={"uitgevoerd": True},
        headers=scene.handler,
    )
    # Another organisation's overdue moment is not listed.
    other_org = unique_org()
    other_melder = devidp.headers(unique_sub("m"), ["melder"], other_org)
    other_handler = devidp.headers(unique_sub("h"), ["behandelaar"], other_org)
    other = client.post(f"{BASE}/meldingen", json=melding_body(), headers=other_melder).json()
    client.post(
        f"{BASE}/meldingen/{other['id']}/nazorgmomenten",
        json={"gepland": _at(-1), "omschrijving": "Elders"},
        headers=other_handler,
    )

    listed = client.get(f"{BASE}/nazorgmomenten?verlopen=true", headers=scene.handler)
    assert listed.status_code == 200
    assert [m["id"] for m in listed.json()["results"]] == [overdue["id"]]
    assert listed.json()["results"][0]["verlopen"] is True
    rest = client.get(f"{BASE}/nazorgmomenten?verlopen=false", headers=scene.handler).json()
    assert {m["id"] for m in rest["results"]} == {future["id"], done["id"]}
    everything = client.get(f"{BASE}/nazorgmomenten", headers=scene.handler).json()
    assert everything["count"] == 3
    assert (
        client.get(f"{BASE}/nazorgmomenten?verlopen=true", headers=scene.melder).status_code == 403
    )
    assert (
        client.get(f"{BASE}/nazorgmomenten?verlopen=misschien", headers=scene.handler).status_code
        == 400
    )
    assert (
        client.get(f"{BASE}/nazorgmomenten?pageSize=101", headers=scene.handler).status_code == 400
    )
