"""The reporter's own data: exactly the caller's, nothing of anyone else."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.conftest import DevIdp
from tests.meldingen.conftest import melding_body

BASE = "/api/meldingen/v1"


def test_holds_exactly_the_callers_data(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    org = unique_org()
    me_sub, other_sub = unique_sub("ik"), unique_sub("ander")
    me = devidp.headers(me_sub, ["melder"], org)
    other = devidp.headers(other_sub, ["melder"], org)
    handler_sub = unique_sub("handler")
    handler = devidp.headers(handler_sub, ["behandelaar"], org)

    mine = [
        client.post(
            f"{BASE}/meldingen", json=melding_body(omschrijving=f"Mijn melding {i}"), headers=me
        ).json()["id"]
        for i in range(2)
    ]
    theirs = client.post(
        f"{BASE}/meldingen", json=melding_body(omschrijving="Geheim van een ander"), headers=other
    ).json()["id"]
    # A handler reports on my behalf: that one is mine too.
    on_behalf = client.post(
        f"{BASE}/meldingen",
        json=melding_body(omschrijving="Namens mij gemeld", melder=me_sub),
        headers=handler,
    ).json()["id"]
    url = f"{BASE}/meldingen/{mine[0]}"
    client.post(f"{url}/notities", json={"tekst": "Interne notitie"}, headers=handler)
    client.post(
        f"{url}/notities",
        json={"tekst": "Voor de melder", "zichtbaarVoorMelder": True},
        headers=handler,
    )
    client.post(f"{url}/notities", json={"tekst": "Eigen aanvulling"}, headers=me)
    client.put(
        f"{url}/aangifte",
        json={"datumAangifte": "2026-11-21", "status": "gedaan", "politieRegistratienummer": "PL1"},
        headers=me,
    )
    client.post(f"{url}/statuswijzigingen", json={"status": "afgehandeld"}, headers=handler)
    client.post(
        f"{BASE}/meldingen/{theirs}/notities", json={"tekst": "Van de ander"}, headers=other
    )

    response = client.get(f"{BASE}/mijn-gegevens", headers=me)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["subject"] == me_sub
    assert {m["id"] for m in body["meldingen"]} == {*mine, on_behalf}
    first = next(m for m in body["meldingen"] if m["id"] == mine[0])
    assert first["omschrijving"] == "Mijn melding 0"
    assert sorted(n["tekst"] for n in first["notities"]) == ["Eigen aanvulling", "Voor de melder"]
    assert first["aangifte"]["politieRegistratienummer"] == "PL1"
    assert len(first["aangifte"]["historie"]) == 1
    assert len(first["nazorgmomenten"]) == 2
    assert {e["actie"] for e in first["inzages"]} == {"notitie_toegevoegd", "status_gewijzigd"}
    for entry in first["inzages"]:
        assert set(entry) == {"tijdstip", "actie", "rol", "organisatie"}
    text = json.dumps(body)
    assert "Geheim van een ander" not in text
    assert "Van de ander" not in text
    assert "Interne notitie" not in text
    assert other_sub not in text
    assert handler_sub not in text  # neither the handler who reported nor who read
    assert all("behandelaar" not in m for m in body["meldingen"])

    # The other reporter sees only their own.
    theirs_body = client.get(f"{BASE}/mijn-gegevens", headers=other).json()
    assert [m["id"] for m in theirs_body["meldingen"]] == [theirs]
    # Someone who never reported gets an empty export, not someone else's.
    empty = client.get(f"{BASE}/mijn-gegevens", headers=devidp.headers(unique_sub("leeg"))).json()
    assert empty["meldingen"] == []


def test_only_for_those_who_can_report(
    client: TestClient, devidp: DevIdp, unique_sub: Callable[[str], str]
) -> None:
    for roles in (["beveiligingsadviseur"], ["redacteur"], ["analist"], ["beheerder"]):
        headers = devidp.headers(unique_sub("x"), roles, "GM0363")
        assert client.get(f"{BASE}/mijn-gegevens", headers=headers).status_code == 403
    assert client.get(f"{BASE}/mijn-gegevens").status_code == 401


def test_a_handler_gets_what_they_reported_themselves_not_what_they_handle(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    org = unique_org()
    handler = devidp.headers(unique_sub("handler"), ["behandelaar"], org)
    reporter = devidp.headers(unique_sub("melder"), ["melder"], org)
    own = client.post(
        f"{BASE}/meldingen", json=melding_body(omschrijving="Zelf bedreigd"), headers=handler
    ).json()["id"]
    handled = client.post(f"{BASE}/meldingen", json=melding_body(), headers=reporter).json()["id"]
    assert client.get(f"{BASE}/meldingen/{handled}", headers=handler).status_code == 200

    export = client.get(f"{BASE}/mijn-gegevens", headers=handler)

    assert export.status_code == 200
    assert [m["id"] for m in export.json()["meldingen"]] == [own]
