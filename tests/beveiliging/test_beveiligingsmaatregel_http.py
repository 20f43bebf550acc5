"""Measures per person and the catalogue over HTTP: decimals, expiry filter, beheerder."""

from __future__ import annotations

import itertools

import pytest
from fastapi.testclient import TestClient

from services.beveiliging.beveiligingsmaatregel.states import MAATREGEL_MACHINE, MaatregelStatus
from tests.beveiliging.conftest import Token, gemeente, uniek
from tests.beveiliging.helpers import BASE

M = MaatregelStatus
PAD = {
    M.geadviseerd: [],
    M.goedgekeurd: [M.goedgekeurd],
    M.geplaatst: [M.goedgekeurd, M.geplaatst],
    M.beeindigd: [M.goedgekeurd, M.geplaatst, M.beeindigd],
    M.afgewezen: [M.afgewezen],
}


def maak(
    client: TestClient, headers: dict[str, str], betreft: str, **extra: object
) -> dict[str, object]:
    body = {
        "maatregel": "paniekknop",
        "betreft": betreft,
        "kosten": "1250.5",
        "financier": "gemeente",
        **extra,
    }
    response = client.post(f"{BASE}/beveiligingsmaatregelen", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_costs_are_a_decimal_string(client: TestClient, token: Token) -> None:
    org = gemeente()
    maatregel = maak(client, token(uniek(), ["beveiligingsadviseur"], org), uniek())
    assert maatregel["kosten"] == "1250.50"
    assert maatregel["status"] == "geadviseerd"
    adviseur = token(uniek(), ["beveiligingsadviseur"], org)
    for fout in (1250.5, "12,50", "1.234", "-1"):
        body = {"maatregel": "paniekknop", "betreft": "x", "kosten": fout, "financier": "rijk"}
        response = client.post(f"{BASE}/beveiligingsmaatregelen", json=body, headers=adviseur)
        assert response.status_code == 400, fout


@pytest.mark.parametrize(("van", "naar"), list(itertools.product(M, M)))
def test_every_from_to_pair_is_201_or_409(
    client: TestClient, token: Token, van: MaatregelStatus, naar: MaatregelStatus
) -> None:
    org = gemeente()
    adviseur = token(uniek(), ["beveiligingsadviseur"], org)
    maatregel = maak(client, adviseur, uniek())
    url = f"{BASE}/beveiligingsmaatregelen/{maatregel['id']}/statuswijzigingen"
    for stap in PAD[van]:
        assert client.post(url, json={"status": stap}, headers=adviseur).status_code == 201
    response = client.post(url, json={"status": naar}, headers=adviseur)
    expected = 201 if MAATREGEL_MACHINE.may_move(van, naar) else 409
    assert response.status_code == expected, response.text


def test_person_sees_own_measures_but_may_not_move_them(client: TestClient, token: Token) -> None:
    org, sub = gemeente(), uniek()
    maatregel = maak(client, token(uniek(), ["beveiligingsadviseur"], org), sub)
    persoon = token(sub, ["melder"], org)
    assert (
        client.get(f"{BASE}/beveiligingsmaatregelen/{maatregel['id']}", headers=persoon).status_code
        == 200
    )
    url = f"{BASE}/beveiligingsmaatregelen/{maatregel['id']}/statuswijzigingen"
    assert client.post(url, json={"status": "goedgekeurd"}, headers=persoon).status_code == 403
    ander = token(uniek(), ["melder"], org)
    assert (
        client.get(f"{BASE}/beveiligingsmaatregelen/{maatregel['id']}", headers=ander).status_code
        == 404
    )


def test_verloopt_voor_lists_open_measures_due_before_the_date(
    client: TestClient, token: Token
) -> None:
    org, sub = gemeente(), uniek()
    adviseur = token(uniek(), ["beveiligingsadviseur"], org)
    vroeg = maak(client, adviseur, sub, einddatum="2027-03-01")
    laat = maak(client, adviseur, sub, einddatum="2027-09-01")
    afgewezen = maak(client, adviseur, sub, einddatum="2027-02-01")
    client.post(
        f"{BASE}/beveiligingsmaatregelen/{afgewezen['id']}/statuswijzigingen",
        json={"status": "afgewezen"},
        headers=adviseur,
    )
    response = client.get(
        f"{BASE}/beveiligingsmaatregelen",
        params={"verlooptVoor": "2027-06-01", "betreft": sub},
        headers=adviseur,
    )
    assert response.status_code == 200
    ids = [m["id"] for m in response.json()["results"]]
    assert ids == [vroeg["id"]]
    assert laat["id"] not in ids


def test_beheerder_adds_and_retires_measures_which_stay_readable(
    client: TestClient, token: Token
) -> None:
    beheerder = token(uniek(), ["beheerder"], "OWB")
    code = f"test_{uniek('m').replace('-', '_')}"
    nieuw = {"code": code, "naam": "Mistgenerator", "categorie": "elektronisch",
             "omschrijving": "Vult een ruimte met mist bij een inbraak."}  # fmt: skip
    assert client.post(f"{BASE}/maatregelen", json=nieuw, headers=beheerder).status_code == 201
    assert client.post(f"{BASE}/maatregelen", json=nieuw, headers=beheerder).status_code == 409
    melder = token(uniek(), ["melder"], gemeente())
    assert client.post(f"{BASE}/maatregelen", json=nieuw, headers=melder).status_code == 403
    ingetrokken = client.patch(
        f"{BASE}/maatregelen/{code}", json={"actief": False}, headers=beheerder
    )
    assert ingetrokken.status_code == 200
    assert ingetrokken.json()["ingetrokkenOp"] is not None
    gelezen = client.get(f"{BASE}/maatregelen/{code}", headers=melder)
    assert gelezen.status_code == 200
    assert gelezen.json()["actief"] is False
    adviseur = token(uniek(), ["beveiligingsadviseur"], gemeente())
    body = {"maatregel": code, "betreft": "x", "kosten": "10.00", "financier": "rijk"}
    response = client.post(f"{BASE}/beveiligingsmaatregelen", json=body, headers=adviseur)
    assert response.status_code == 400
