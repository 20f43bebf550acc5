"""The starting-mayor package: everything in one transaction, once per mayor and municipality."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from services.beveiliging.beveiligingsmaatregel import repository as maatregel_repository
from services.beveiliging.veiligheidspakket.standaard import STANDAARD_PAKKET
from tests.beveiliging.conftest import Token, gemeente, uniek
from tests.beveiliging.helpers import BASE


def pakket_body(org: str, burgemeester: str) -> dict[str, object]:
    return {"burgemeester": burgemeester, "gemeente": org, "startdatum": "2027-01-02"}


def test_package_creates_intake_scan_and_standard_measures(
    client: TestClient, token: Token
) -> None:
    org, bm = gemeente(), uniek("bm")
    adviseur = token(uniek(), ["beveiligingsadviseur"], org)
    response = client.post(
        f"{BASE}/veiligheidspakketten", json=pakket_body(org, bm), headers=adviseur
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["intakegesprek"]["status"] == "te_plannen"
    assert body["woningscan"]["status"] == "aangevraagd"
    assert {m["maatregel"] for m in body["maatregelen"]} == {p.maatregel for p in STANDAARD_PAKKET}
    assert {m["status"] for m in body["maatregelen"]} == {"geadviseerd"}
    assert response.headers["Location"].endswith(f"/veiligheidspakketten/{body['id']}")
    burgemeester = token(bm, ["melder"], org)
    eigen = client.get(f"{BASE}/beveiligingsmaatregelen", headers=burgemeester).json()
    assert eigen["count"] == len(STANDAARD_PAKKET)
    assert (
        client.get(f"{BASE}/veiligheidspakketten/{body['id']}", headers=burgemeester).status_code
        == 200
    )


def test_second_package_for_same_mayor_and_municipality_is_409(
    client: TestClient, token: Token
) -> None:
    org, bm = gemeente(), uniek("bm")
    adviseur = token(uniek(), ["beveiligingsadviseur"], org)
    eerste = client.post(
        f"{BASE}/veiligheidspakketten", json=pakket_body(org, bm), headers=adviseur
    )
    assert eerste.status_code == 201
    owb = token(uniek(), ["beveiligingsadviseur"], "OWB")
    tweede = client.post(f"{BASE}/veiligheidspakketten", json=pakket_body(org, bm), headers=owb)
    assert tweede.status_code == 409
    assert tweede.json()["type"] == "urn:weerbaar:probleem:bestaat-al"


def test_only_advisers_of_that_municipality_or_owb(client: TestClient, token: Token) -> None:
    org = gemeente()
    andere = token(uniek(), ["beveiligingsadviseur"], gemeente())
    melder = token(uniek(), ["melder"], org)
    body = pakket_body(org, uniek("bm"))
    assert client.post(f"{BASE}/veiligheidspakketten", json=body, headers=andere).status_code == 403
    assert client.post(f"{BASE}/veiligheidspakketten", json=body, headers=melder).status_code == 403


def test_package_is_all_or_nothing_when_a_measure_fails_midway(
    client: TestClient, token: Token, monkeypatch: pytest.MonkeyPatch
) -> None:
    org, bm = gemeente(), uniek("bm")
    adviseur = token(uniek(), ["beveiligingsadviseur"], org)
    echte_add = maatregel_repository.add
    teller = {"n": 0}

    def faalt_bij_de_derde(session: object, maatregel: object) -> None:
        teller["n"] += 1
        if teller["n"] == 3:
            raise RuntimeError("opslag faalt halverwege")
        echte_add(session, maatregel)  # type: ignore[arg-type]

    monkeypatch.setattr(maatregel_repository, "add", faalt_bij_de_derde)
    # The test client re-raises what the app answered as a 500 problem.
    with pytest.raises(RuntimeError, match="halverwege"):
        client.post(f"{BASE}/veiligheidspakketten", json=pakket_body(org, bm), headers=adviseur)
    assert teller["n"] == 3
    monkeypatch.undo()

    # Nothing was left behind: no scan, no measure, and the package can now be made once.
    scans = client.get(f"{BASE}/woningscans", params={"betreft": bm}, headers=adviseur).json()
    assert scans["count"] == 0
    maatregelen = client.get(
        f"{BASE}/beveiligingsmaatregelen", params={"betreft": bm}, headers=adviseur
    )
    assert maatregelen.json()["count"] == 0
    opnieuw = client.post(
        f"{BASE}/veiligheidspakketten", json=pakket_body(org, bm), headers=adviseur
    )
    assert opnieuw.status_code == 201
