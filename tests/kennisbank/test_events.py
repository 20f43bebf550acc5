"""The events kennisbank writes: published and archived articles, thin, without their text."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import Backend
from tests.kennisbank.conftest import BASE, publiceer, uniek
from tests.support.outbox import assert_absent, outbox_events

TYPE = "nl.weerbaarbestuur.kennisbank."


def test_publish_and_archive_write_thin_events_and_concept_none(
    client: TestClient, backend: Backend, redacteur: dict[str, str]
) -> None:
    woord = uniek()
    titel, samenvatting = f"Dreigbrief {woord} ontvangen", f"Handreiking {woord} bij dreiging"
    inhoud = f"## Stap {woord}\n\nBewaar alles."
    artikel = publiceer(client, redacteur, titel=titel, samenvatting=samenvatting, inhoud=inhoud)
    slug = artikel["slug"]
    url = f"{BASE}/artikelen/{slug}/statuswijzigingen"
    for status in ("gearchiveerd", "concept"):
        response = client.post(url, json={"status": status}, headers=redacteur)
        assert response.status_code == 201, response.text

    rows = outbox_events(backend.migrate("kennisbank"), {slug})
    assert [row["event"]["type"] for row in rows] == [
        TYPE + "artikel-gepubliceerd",
        TYPE + "artikel-gearchiveerd",
    ]  # back to concept is no event of the contract
    for row in rows:
        event = row["event"]
        assert event["source"] == "urn:nld:weerbaarbestuur:kennisbank"
        assert event["dataref"] == f"http://127.0.0.1:8000{BASE}/artikelen/{slug}"
        assert event["data"]["slug"] == slug
        assert row["reach"] == {}
        assert_absent(event, [titel, samenvatting, "Bewaar alles", "redacteur-1"])
