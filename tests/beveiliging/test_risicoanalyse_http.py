"""Risk analyses over HTTP: every invalid answer at once, reach, stored version."""

from __future__ import annotations

from fastapi.testclient import TestClient

from services.beveiliging.risicoanalyse.vragenlijst import VRAGENLIJST_V1, VraagType
from tests.beveiliging.conftest import Token, gemeente, uniek
from tests.beveiliging.helpers import BASE


def hoogste() -> dict[str, bool | int]:
    return {v.code: True if v.type is VraagType.ja_nee else 3 for v in VRAGENLIJST_V1.vragen}


def test_self_assessment_is_scored_and_kept(client: TestClient, token: Token) -> None:
    melder = token(uniek(), ["melder"], gemeente())
    body = {"vragenlijstVersie": 1, "antwoorden": hoogste()}
    response = client.post(f"{BASE}/risicoanalyses", json=body, headers=melder)
    assert response.status_code == 201, response.text
    analyse = response.json()
    assert (analyse["score"], analyse["niveau"], analyse["vragenlijstVersie"]) == (40, "hoog", 1)
    assert "persoonsbeveiliging" in analyse["aanbevolenMaatregelen"]
    detail = client.get(f"{BASE}/risicoanalyses/{analyse['id']}", headers=melder).json()
    assert detail["antwoorden"] == hoogste()
    ander = token(uniek(), ["melder"], gemeente())
    assert client.get(f"{BASE}/risicoanalyses/{analyse['id']}", headers=ander).status_code == 404


def test_every_invalid_answer_is_400_at_once(client: TestClient, token: Token) -> None:
    antwoorden: dict[str, object] = dict(hoogste())
    del antwoorden["wapens_genoemd"]
    antwoorden["onbekend"] = True
    antwoorden["online_dreiging"] = 7
    antwoorden["gezin_betrokken"] = "ja"
    response = client.post(
        f"{BASE}/risicoanalyses",
        json={"vragenlijstVersie": 1, "antwoorden": antwoorden},
        headers=token(uniek(), ["melder"], gemeente()),
    )
    assert response.status_code == 400
    namen = {(p["name"], p["code"]) for p in response.json()["invalidParams"]}
    assert namen == {
        ("antwoorden.wapens_genoemd", "required"),
        ("antwoorden.onbekend", "unknown_field"),
        ("antwoorden.online_dreiging", "range"),
        ("antwoorden.gezin_betrokken", "type"),
    }


def test_only_advisers_assess_someone_else(client: TestClient, token: Token) -> None:
    org = gemeente()
    body = {"vragenlijstVersie": 1, "antwoorden": hoogste(), "betreft": uniek()}
    melder = token(uniek(), ["melder"], org)
    assert client.post(f"{BASE}/risicoanalyses", json=body, headers=melder).status_code == 403
    adviseur = token(uniek(), ["beveiligingsadviseur"], org)
    assert client.post(f"{BASE}/risicoanalyses", json=body, headers=adviseur).status_code == 201
