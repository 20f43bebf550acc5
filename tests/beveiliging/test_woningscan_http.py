"""Home scans over HTTP: the state machine pair by pair, who may move, where the address shows."""

from __future__ import annotations

import asyncio
import itertools
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from services.beveiliging.woningscan.states import WONINGSCAN_MACHINE, WoningscanStatus
from services.common.db import create_engine_for
from tests.beveiliging.conftest import Omgeving, Token, gemeente, uniek
from tests.beveiliging.helpers import ADRES, BASE, scan_aanvragen, scan_status

W = WoningscanStatus
PAD = {
    W.aangevraagd: [],
    W.ingepland: [W.ingepland],
    W.uitgevoerd: [W.ingepland, W.uitgevoerd],
    W.advies_opgeleverd: [W.ingepland, W.uitgevoerd, W.advies_opgeleverd],
    W.afgerond: [W.ingepland, W.uitgevoerd, W.advies_opgeleverd, W.afgerond],
    W.geannuleerd: [W.geannuleerd],
}


@pytest.mark.parametrize(("van", "naar"), list(itertools.product(W, W)))
def test_every_from_to_pair_is_201_or_409(
    client: TestClient, token: Token, van: WoningscanStatus, naar: WoningscanStatus
) -> None:
    org = gemeente()
    melder = token(uniek(), ["melder"], org)
    adviseur = token(uniek("adv"), ["beveiligingsadviseur"], org)
    scan = scan_aanvragen(client, melder)
    for stap in PAD[van]:
        assert scan_status(client, adviseur, scan["id"], stap).status_code == 201
    response = scan_status(client, adviseur, scan["id"], naar)
    if WONINGSCAN_MACHINE.may_move(van, naar):
        assert response.status_code == 201, response.text
        assert response.json()["status"] == naar
    else:
        assert response.status_code == 409, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["type"] == "urn:weerbaar:probleem:ongeldige-statusovergang"


def test_requester_may_cancel_but_never_plan(client: TestClient, token: Token) -> None:
    org = gemeente()
    melder = token(uniek(), ["melder"], org)
    scan = scan_aanvragen(client, melder)
    assert scan_status(client, melder, scan["id"], "ingepland").status_code == 403
    response = scan_status(client, melder, scan["id"], "geannuleerd")
    assert response.status_code == 201
    assert response.json()["status"] == "geannuleerd"


def test_outside_reach_is_404_for_other_melder_and_other_municipality(
    client: TestClient, token: Token
) -> None:
    org = gemeente()
    scan = scan_aanvragen(client, token(uniek(), ["melder"], org))
    vreemde_melder = token(uniek(), ["melder"], org)
    vreemde_adviseur = token(
        uniek(), ["beveiligingsadviseur"], "GM9999" if org != "GM9999" else "GM9998"
    )
    for headers in (vreemde_melder, vreemde_adviseur):
        assert client.get(f"{BASE}/woningscans/{scan['id']}", headers=headers).status_code == 404
        assert scan_status(client, headers, scan["id"], "geannuleerd").status_code == 404
    assert (
        client.get(f"{BASE}/woningscans/{uuid.uuid4()}", headers=vreemde_melder).status_code == 404
    )


def test_owb_adviser_reaches_every_municipality(client: TestClient, token: Token) -> None:
    scan = scan_aanvragen(client, token(uniek(), ["melder"], gemeente()))
    owb = token(uniek(), ["beveiligingsadviseur"], "OWB")
    assert client.get(f"{BASE}/woningscans/{scan['id']}", headers=owb).status_code == 200
    assert scan_status(client, owb, scan["id"], "ingepland").status_code == 201


def test_adviser_never_handles_own_scan(client: TestClient, token: Token) -> None:
    org = gemeente()
    sub = uniek("adv")
    zelf = token(sub, ["beveiligingsadviseur", "melder"], org)
    scan = scan_aanvragen(client, zelf)
    assert scan_status(client, zelf, scan["id"], "ingepland").status_code == 403
    assert scan_status(client, zelf, scan["id"], "geannuleerd").status_code == 201


def test_planning_needs_date_adviser_and_address(client: TestClient, token: Token) -> None:
    org = gemeente()
    adviseur = token(uniek(), ["beveiligingsadviseur"], org)
    scan = scan_aanvragen(client, token(uniek(), ["melder"], org))
    response = client.post(
        f"{BASE}/woningscans/{scan['id']}/statuswijzigingen",
        json={"status": "ingepland", "advies": ["paniekknop"]},
        headers=adviseur,
    )
    assert response.status_code == 400
    namen = {(p["name"], p["code"]) for p in response.json()["invalidParams"]}
    assert namen == {("gepland", "required"), ("adviseur", "required"), ("advies", "not_allowed")}


def test_advice_needs_known_measure_codes(client: TestClient, token: Token) -> None:
    org = gemeente()
    adviseur = token(uniek(), ["beveiligingsadviseur"], org)
    scan = scan_aanvragen(client, token(uniek(), ["melder"], org))
    for stap in ("ingepland", "uitgevoerd"):
        assert scan_status(client, adviseur, scan["id"], stap).status_code == 201
    response = scan_status(
        client, adviseur, scan["id"], "advies_opgeleverd", advies=["bestaat_niet"]
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "advies.0"


def test_address_only_in_detail_never_in_lists(client: TestClient, token: Token) -> None:
    org = gemeente()
    melder = token(uniek(), ["melder"], org)
    adviseur = token(uniek(), ["beveiligingsadviseur"], org)
    scan = scan_aanvragen(client, melder)
    assert scan["adres"]["postcode"] == "1012 AB"
    for headers in (melder, adviseur):
        detail = client.get(f"{BASE}/woningscans/{scan['id']}", headers=headers).json()
        assert detail["adres"]["straat"] == ADRES["straat"]
        lijst = client.get(f"{BASE}/woningscans", params={"pageSize": 100}, headers=headers)
        assert lijst.status_code == 200
        assert ADRES["straat"] not in lijst.text
        assert "Bedreigd" not in lijst.text
        gevonden = [r for r in lijst.json()["results"] if r["id"] == scan["id"]]
        assert gevonden
        assert "adres" not in gevonden[0]
        assert gevonden[0]["adresBekend"] is True


def test_address_and_reason_not_plaintext_in_the_database(omgeving: Omgeving, token: Token) -> None:
    scan = scan_aanvragen(omgeving.client, token(uniek(), ["melder"], gemeente()))

    async def rij() -> str:
        engine = create_engine_for(omgeving.target, pool_size=1)
        try:
            async with engine.connect() as connection:
                result = await connection.execute(
                    text("SELECT * FROM beveiliging.woningscan WHERE id = :id"),
                    {
                        "id": uuid.UUID(scan["id"])
                        if omgeving.backend == "postgres"
                        else uuid.UUID(scan["id"]).hex
                    },
                )
                return repr(result.one())
        finally:
            await engine.dispose()

    ruw = asyncio.run(rij())
    assert ADRES["straat"] not in ruw
    assert "1012" not in ruw
    assert "Bedreigd" not in ruw
    assert "v1." in ruw  # the key ring's ciphertext format


def test_address_can_follow_later_and_then_planning_works(client: TestClient, token: Token) -> None:
    org = gemeente()
    adviseur = token(uniek(), ["beveiligingsadviseur"], org)
    pakket = client.post(
        f"{BASE}/veiligheidspakketten",
        json={"burgemeester": uniek("bm"), "gemeente": org, "startdatum": "2027-01-01"},
        headers=adviseur,
    ).json()
    scan_id = pakket["woningscan"]["id"]
    response = scan_status(client, adviseur, scan_id, "ingepland")
    assert response.status_code == 409
    assert response.json()["type"] == "urn:weerbaar:probleem:voorwaarde-niet-vervuld"
    patch = client.patch(f"{BASE}/woningscans/{scan_id}", json={"adres": ADRES}, headers=adviseur)
    assert patch.status_code == 200
    assert scan_status(client, adviseur, scan_id, "ingepland").status_code == 201


@pytest.mark.parametrize("status", [{}, [], ["ingepland"], 1, None, True])
def test_a_requester_naming_no_state_is_400_never_500(
    client: TestClient, token: Token, status: object
) -> None:
    # Found by schemathesis through the gateway: `{"status": {}}` from a non-adviser was 500.
    org = gemeente()
    melder = token(uniek(), ["melder"], org)
    scan = scan_aanvragen(client, melder)
    response = client.post(
        f"{BASE}/woningscans/{scan['id']}/statuswijzigingen",
        json={"status": status, "toelichting": "x"},
        headers=melder,
    )
    assert response.status_code == 400, response.text
    assert response.json()["invalidParams"][0]["name"] == "status"


def test_an_advisers_target_is_403_before_reach_and_before_the_body(
    client: TestClient, token: Token
) -> None:
    """The service's rule on the raw target runs before reach (404) and the body (400)."""
    org = gemeente()
    eigenaar = token(uniek("melder-a"), ["melder"], org)
    scan = scan_aanvragen(client, eigenaar)
    buitenstaander = token(uniek("melder-b"), ["melder"], org)
    onbekend = str(uuid.uuid4())
    for scan_id in (scan["id"], onbekend, "geen-uuid"):
        response = client.post(
            f"{BASE}/woningscans/{scan_id}/statuswijzigingen",
            json={"status": "ingepland", "onbekendVeld": 1},
            headers=buitenstaander,
        )
        assert response.status_code == 403, response.text
    # A target the requester may ask for goes on to reach: 404 outside it.
    assert scan_status(client, buitenstaander, scan["id"], "geannuleerd").status_code == 404
    # Not a state, or not a string: left to the body validation, after reach.
    for status in ("bestaat_niet", 7):
        response = client.post(
            f"{BASE}/woningscans/{scan['id']}/statuswijzigingen",
            json={"status": status},
            headers=eigenaar,
        )
        assert response.status_code == 400, response.text
