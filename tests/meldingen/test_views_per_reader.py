"""What each reader gets, key for key: the views are built per reader, the routes keep to it.

The service leaves out of a view what its reader may not see, and the routes drop unset
fields (`response_model_exclude_unset`); a null that is the value (`doorverwezenNaar`, an
unassigned `behandelaar` for a handler) must still be there as null. These tables are the
contract written out: a new field fails here until someone decides who sees it.

The absence tests that came first: `test_permissions.py::test_melder_does_not_see_behandelaar`
(detail, list, create) and `test_escalation.py::test_the_melder_never_sees_the_deadline_fields`
(detail, list, mijn-gegevens, and the handler seeing them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import DevIdp
from tests.meldingen.bijlagen import png, upload
from tests.meldingen.conftest import BASE, Scene, melding_body, report

MELDINGEN = f"{BASE}/meldingen"
HANDLER_ONLY = {"behandelaar", "reactieUiterlijk", "opgepaktOp", "termijnVerstreken"}
FOR_THE_HANDLER = {
    "id",
    "kenmerk",
    "gedragstype",
    "vormen",
    "omschrijving",
    "datumVoorval",
    "functie",
    "organisatie",
    "vertrouwelijk",
    "acuutGevaar",
    "status",
    "prioriteit",
    "behandelaar",
    "melder",
    "doorverwezenNaar",
    "advies",
    "aangemaaktOp",
    "gewijzigdOp",
    "reactieUiterlijk",
    "opgepaktOp",
    "termijnVerstreken",
}
FOR_THE_MELDER = FOR_THE_HANDLER - HANDLER_ONLY
IN_THE_HANDLERS_LIST = FOR_THE_HANDLER - {"omschrijving"}
MIJN_MELDING = FOR_THE_MELDER | {"notities", "aangifte", "nazorgmomenten", "inzages", "bijlagen"}
BIJLAGE = {
    "id",
    "bestandsnaam",
    "mediatype",
    "grootte",
    "sha256",
    "scanstatus",
    "omschrijving",
    "zichtbaarVoorMelder",
    "aangemaaktOp",
    "rol",
}
BIJLAGE_FOR_THE_HANDLER = BIJLAGE | {"oorspronkelijkeBestandsnaam"}


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_the_melder_and_the_handler_each_get_their_keys(client: TestClient, scene: Scene) -> None:
    melder, handler = scene.melder, scene.handler
    created = _ok(client.post(MELDINGEN, json=melding_body(), headers=melder), 201)
    assert set(created) == FOR_THE_MELDER
    assert created["doorverwezenNaar"] is None  # a null value stays, as null

    assert set(_ok(client.get(scene.url(), headers=melder))) == FOR_THE_MELDER
    detail = _ok(client.get(scene.url(), headers=handler))
    assert set(detail) == FOR_THE_HANDLER
    assert detail["behandelaar"] is None  # unassigned: null for the handler, absent for melder
    assert detail["opgepaktOp"] is None

    mine = _ok(client.get(MELDINGEN, headers=melder))["results"]
    assert len(mine) == 2
    assert all(set(item) == FOR_THE_MELDER for item in mine)
    theirs = _ok(client.get(MELDINGEN, headers=handler))["results"]
    assert len(theirs) == 2
    assert all(set(item) == IN_THE_HANDLERS_LIST for item in theirs)


def test_every_change_answers_in_its_readers_view(client: TestClient, scene: Scene) -> None:
    melder, handler = scene.melder, scene.handler
    changes = (
        client.patch(scene.url(), json={"prioriteit": "hoog"}, headers=handler),
        client.post(scene.url("/toewijzing"), json={"behandelaar": "h-x"}, headers=handler),
    )
    for response in changes:
        assert set(_ok(response)) == FOR_THE_HANDLER
    moved = client.post(
        scene.url("/statuswijzigingen"), json={"status": "in_behandeling"}, headers=handler
    )
    assert set(_ok(moved, 201)) == FOR_THE_HANDLER
    withdrawn = client.post(
        scene.url("/statuswijzigingen"), json={"status": "ingetrokken"}, headers=melder
    )
    body = _ok(withdrawn, 201)
    assert set(body) == FOR_THE_MELDER
    assert body["status"] == "ingetrokken"


def test_mijn_gegevens_and_attachments_per_reader(client: TestClient, scene: Scene) -> None:
    melder, handler = scene.melder, scene.handler
    added = _ok(upload(client, scene.url("/bijlagen"), handler, "foto.png", png()), 201)
    assert set(added) == BIJLAGE  # the upload's answer never carries the name as sent
    bijlage = scene.url(f"/bijlagen/{added['id']}")
    assert set(_ok(client.get(bijlage, headers=melder))) == BIJLAGE
    assert set(_ok(client.get(bijlage, headers=handler))) == BIJLAGE_FOR_THE_HANDLER
    listed = _ok(client.get(scene.url("/bijlagen"), headers=handler))["results"]
    assert [set(item) for item in listed] == [BIJLAGE_FOR_THE_HANDLER]

    export = _ok(client.get(f"{BASE}/mijn-gegevens", headers=melder))
    assert set(export) == {"subject", "meldingen"}
    [melding] = export["meldingen"]
    assert set(melding) == MIJN_MELDING
    assert melding["aangifte"] is None
    assert [set(item) for item in melding["bijlagen"]] == [BIJLAGE]


def test_a_statistics_group_holds_only_its_dimensions(
    client: TestClient, devidp: DevIdp, unique_sub: Callable[[str], str], scene: Scene
) -> None:
    for _ in range(9):  # well above the default drempel (5), noise (±2) included
        report(client, scene.melder)
    analist = devidp.headers(unique_sub("analist"), ["analist"], scene.org)
    params = {"groepeerOp": ["gedragstype", "organisatie"], "organisatie": scene.org}
    body = _ok(client.get(f"{BASE}/statistieken", params=params, headers=analist))
    assert set(body) == {"drempel", "methode", "groepen"}
    assert body["groepen"]
    for groep in body["groepen"]:
        assert set(groep) == {"gedragstype", "organisatie", "aantal", "onderdrukt"}
