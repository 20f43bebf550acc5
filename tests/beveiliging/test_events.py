"""The events beveiliging writes to its outbox: every type through the API, nothing personal.

No address, reason, subject of a person (betreft, aanvrager, adviseur, burgemeester) or
ciphertext appears anywhere in an envelope; the reach attributes are the organisation.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.beveiliging.conftest import Omgeving, Token, gemeente, uniek
from tests.beveiliging.helpers import ADRES, BASE, scan_aanvragen, scan_status
from tests.meldingen.db import query
from tests.support.outbox import assert_absent, outbox_events

TYPE = "nl.weerbaarbestuur.beveiliging."


def test_every_beveiliging_event_is_thin_and_personal_data_free(
    omgeving: Omgeving, client: TestClient, token: Token
) -> None:
    org = gemeente()
    melder_sub, adviseur_sub, bm_sub, planner_sub = (uniek(p) for p in ("m", "adv", "bm", "pl"))
    melder = token(melder_sub, ["melder"], org)
    adviseur = token(adviseur_sub, ["beveiligingsadviseur"], org)
    reden = "Bedreigd na raadsvergadering over azc Dorpsstraat"

    scan = scan_aanvragen(client, melder, reden=reden)
    ingepland = scan_status(client, adviseur, scan["id"], "ingepland", adviseur=planner_sub)
    assert ingepland.status_code == 201, ingepland.text
    body = {"maatregel": "paniekknop", "betreft": melder_sub, "kosten": "99", "financier": "rijk"}
    maatregel = client.post(f"{BASE}/beveiligingsmaatregelen", json=body, headers=adviseur)
    assert maatregel.status_code == 201, maatregel.text
    maatregel_id = maatregel.json()["id"]
    goedgekeurd = client.post(
        f"{BASE}/beveiligingsmaatregelen/{maatregel_id}/statuswijzigingen",
        json={"status": "goedgekeurd"},
        headers=adviseur,
    )
    assert goedgekeurd.status_code == 201, goedgekeurd.text
    pakket = client.post(
        f"{BASE}/veiligheidspakketten",
        json={"burgemeester": bm_sub, "gemeente": org, "startdatum": "2027-01-02", "adres": ADRES},
        headers=adviseur,
    )
    assert pakket.status_code == 201, pakket.text
    p = pakket.json()

    ids = {scan["id"], maatregel_id, p["id"], p["woningscan"]["id"]}
    ids |= {m["id"] for m in p["maatregelen"]}
    rows = outbox_events(omgeving.target, ids)
    types = [row["event"]["type"].removeprefix(TYPE) for row in rows]
    assert types[:4] == [
        "woningscan-aangevraagd",
        "woningscan-status-gewijzigd",
        "beveiligingsmaatregel-status-gewijzigd",
        "beveiligingsmaatregel-status-gewijzigd",
    ]
    assert types[4:6] == ["veiligheidspakket-aangemaakt", "woningscan-aangevraagd"]
    assert types[6:] == ["beveiligingsmaatregel-status-gewijzigd"] * len(p["maatregelen"])
    assert rows[2]["event"]["data"]["vorigeStatus"] is None  # created: first status
    assert rows[3]["event"]["data"]["vorigeStatus"] == "geadviseerd"

    ciphertexts = [
        value
        for r in query(
            omgeving.target,
            "SELECT adres_versleuteld, reden_versleuteld FROM beveiliging.woningscan",
        )
        for value in (r["adres_versleuteld"], r["reden_versleuteld"])
        if value
    ]
    secrets = [reden, ADRES["straat"], ADRES["postcode"], melder_sub, adviseur_sub, bm_sub]
    secrets += [planner_sub, *(c[:24] for c in ciphertexts)]
    for row in rows:
        event = row["event"]
        assert event["specversion"] == "1.0"
        assert event["source"] == "urn:nld:weerbaarbestuur:beveiliging"
        assert event["dataref"].startswith("http://127.0.0.1:8000/api/beveiliging/v1/")
        assert event["dataref"].endswith("/" + event["subject"])
        assert event["data"]["organisatie"] == org
        assert row["reach"] == {"organisatie": org}
        assert_absent(event, secrets)
