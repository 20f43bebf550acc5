"""The events meldingen writes to its outbox: one per change, thin, nothing personal.

Each event type is produced through the HTTP API; the envelope is read back from the outbox
(it is published byte for byte) and searched for every secret the change involved.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import Scene, melding_body, report
from tests.meldingen.db import query

BASE = "/api/meldingen/v1"
TYPE = "nl.weerbaarbestuur.meldingen."


def outbox_rows(backend: Backend, melding_id: str) -> list[dict[str, Any]]:
    rows = query(
        backend,
        "SELECT seq, event_id, subject, envelope, reach FROM meldingen.uitgaande_gebeurtenis "
        "ORDER BY seq",
    )
    out = []
    for row in rows:
        envelope = json.loads(row["envelope"])
        if envelope["subject"] == melding_id:
            out.append({**dict(row), "event": envelope, "reach": json.loads(row["reach"])})
    return out


def all_strings(value: Any) -> list[str]:
    """Every key and string value anywhere in a JSON document."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *all_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in all_strings(item)]
    return [value] if isinstance(value, str) else []


def test_every_meldingen_event_is_thin_and_personal_data_free(
    client: TestClient,
    backend: Backend,
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> None:
    org = unique_org()
    melder_sub, handler_sub, colleague_sub = (unique_sub(p) for p in ("melder", "h", "c"))
    melder = devidp.headers(melder_sub, ["melder"], org)
    handler = devidp.headers(handler_sub, ["behandelaar"], org)
    omschrijving = "Hij stond om 23 uur voor mijn huis aan de Dorpsstraat 12 en schreeuwde."
    toelichting = "Contact gehad met de wijkagent over de buurman Jansen."
    registratienummer = "PL0900-2026112100777"

    melding_id = report(client, melder, omschrijving=omschrijving)
    url = f"{BASE}/meldingen/{melding_id}"
    etag = client.get(url, headers=handler).headers["ETag"]
    steps = [
        client.patch(url, json={"prioriteit": "hoog"}, headers={**handler, "If-Match": etag}),
        client.post(f"{url}/toewijzing", json={"behandelaar": colleague_sub}, headers=handler),
        client.post(
            f"{url}/statuswijzigingen",
            json={"status": "in_behandeling", "toelichting": toelichting},
            headers=handler,
        ),
        client.put(
            f"{url}/aangifte",
            json={
                "datumAangifte": "2026-11-21",
                "politieRegistratienummer": registratienummer,
                "status": "gedaan",
                "ondersteuning": ["juridisch_advies"],
            },
            headers=melder,
        ),
    ]
    assert [r.status_code for r in steps] == [200, 200, 201, 201], [r.text for r in steps]

    rows = outbox_rows(backend, melding_id)
    assert [row["event"]["type"].removeprefix(TYPE) for row in rows] == [
        "melding-aangemaakt",
        "melding-prioriteit-gewijzigd",
        "melding-toegewezen",
        "melding-status-gewijzigd",
        "aangifte-gewijzigd",
    ]

    stored = query(
        backend,
        "SELECT omschrijving_versleuteld FROM meldingen.melding WHERE kenmerk = :kenmerk",
        kenmerk=rows[0]["event"]["data"]["kenmerk"],
    )
    ciphertexts = [stored[0]["omschrijving_versleuteld"]] if stored else []
    ciphertexts += [
        r["toelichting_versleuteld"]
        for r in query(backend, "SELECT toelichting_versleuteld FROM meldingen.statuswijziging")
        if r["toelichting_versleuteld"]
    ]
    forbidden = [
        omschrijving,
        toelichting,
        registratienummer,
        melder_sub,
        handler_sub,
        colleague_sub,
    ]
    for row in rows:
        event = row["event"]
        assert event["specversion"] == "1.0"
        assert event["source"] == "urn:nld:weerbaarbestuur:meldingen"
        assert event["datacontenttype"] == "application/json"
        assert event["subject"] == melding_id
        assert event["time"].endswith("Z")
        assert event["dataref"].startswith(f"http://127.0.0.1:8000{url}")
        assert row["subject"] == "weerbaar.meldingen." + event["type"].removeprefix(TYPE)
        assert str(row["event_id"]).replace("-", "") == event["id"].replace("-", "")
        assert event["data"]["organisatie"] == org
        assert event["data"]["kenmerk"].startswith("MLD-")
        strings = all_strings(event)
        for secret in forbidden:
            assert not any(secret in s for s in strings), (event["type"], secret)
        for ciphertext in ciphertexts:
            assert not any(ciphertext[:24] in s for s in strings), event["type"]
        # What the delivery check needs travels beside the envelope, never inside it.
        assert row["reach"]["melder"] == melder_sub
        assert row["reach"]["organisatie"] == org
    assert rows[-1]["event"]["dataref"].endswith("/aangifte")
    assert rows[2]["reach"]["behandelaar"] == colleague_sub
    assert ciphertexts, "the ciphertext check must have something to look for"


def test_a_failed_change_writes_no_event(
    client: TestClient,
    backend: Backend,
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> None:
    org = unique_org()
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    handler = devidp.headers(unique_sub("h"), ["behandelaar"], org)
    melding_id = report(client, melder)
    refused = client.post(
        f"{BASE}/meldingen/{melding_id}/statuswijzigingen",
        json={"status": "ingetrokken"},
        headers=handler,
    )
    assert refused.status_code == 403
    bad = client.post(f"{BASE}/meldingen", json=melding_body(vormen=[]), headers=melder)
    assert bad.status_code == 400
    types = [row["event"]["type"] for row in outbox_rows(backend, melding_id)]
    assert types == [TYPE + "melding-aangemaakt"]


def test_an_attachment_writes_a_thin_bijlage_toegevoegd(
    client: TestClient, backend: Backend, scene: Scene
) -> None:
    from tests.meldingen.bijlagen import png, upload

    shared = upload(client, scene.url("/bijlagen"), scene.melder, "dreigbrief-jansen.png", png())
    hidden = upload(
        client,
        scene.url("/bijlagen"),
        scene.handler,
        "intern-verslag.png",
        png(),
        zichtbaarVoorMelder="false",
        omschrijving="Notitie over de buurman",
    )
    assert (shared.status_code, hidden.status_code) == (201, 201), hidden.text
    rows = {
        row["event"]["subject"]: row
        for row in outbox_rows_of_type(backend, TYPE + "bijlage-toegevoegd")
        if row["event"]["data"]["meldingId"] == scene.id
    }
    assert set(rows) == {shared.json()["id"], hidden.json()["id"]}
    for bijlage, row in ((shared.json(), rows[shared.json()["id"]]), (hidden.json(), None)):
        row = row or rows[bijlage["id"]]
        event = row["event"]
        assert event["dataref"].endswith(f"{scene.url('/bijlagen')}/{bijlage['id']}")
        assert event["data"]["mediatype"] == "image/png"
        strings = all_strings(event)
        for secret in ("dreigbrief", "intern-verslag", "buurman", bijlage["sha256"]):
            assert not any(secret in s for s in strings), secret
    # The melder may know of their own and of a shared attachment, never of a hidden one.
    assert rows[shared.json()["id"]]["reach"]["melder"] is not None
    assert rows[hidden.json()["id"]]["reach"]["melder"] is None


def outbox_rows_of_type(backend: Backend, type_: str) -> list[dict[str, Any]]:
    rows = query(
        backend,
        "SELECT envelope, reach FROM meldingen.uitgaande_gebeurtenis ORDER BY seq",
    )
    out = []
    for row in rows:
        envelope = json.loads(row["envelope"])
        if envelope["type"] == type_:
            out.append({"event": envelope, "reach": json.loads(row["reach"])})
    return out
