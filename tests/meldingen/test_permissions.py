"""Roles and tenancy of meldingen: the shared table row by row, then the finer visibility rules.

The table lives in tests/meldingen/permissions.py (rows of tests/permissions.py); this file
arranges each row's situation over HTTP and checks the status.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from tests.conftest import TEST_KEYS, Backend, DevIdp
from tests.meldingen.bijlagen import png
from tests.meldingen.conftest import melding_body
from tests.meldingen.permissions import AANGIFTE_BODY, NAZORG_PLAN, NEVER
from tests.permissions import Row, rows

BASE = "/api/meldingen/v1"
OWB = "OWB"
ACTOR_ORG = {
    "andere_org": "B",
    "owb": OWB,
    "vertrouwelijk_owb": OWB,
    "doorverwezen_owb": OWB,
}


class Scene:
    """Organisations A and B, a melder and a handler in A, and helpers to shape a melding."""

    def __init__(
        self,
        client: TestClient,
        devidp: DevIdp,
        unique_org: Callable[[], str],
        unique_sub: Callable[[str], str],
    ) -> None:
        self.client = client
        self.devidp = devidp
        self.unique_sub = unique_sub
        self.org_a, self.org_b = unique_org(), unique_org()
        self.tag = unique_sub("scene")
        self.melder = devidp.headers(f"melder-{self.tag}", ["melder"], self.org_a)
        self.collega = devidp.headers(f"collega-{self.tag}", ["behandelaar"], self.org_a)

    def person(self, roles: list[str], org: str) -> tuple[str, dict[str, str]]:
        """One person per roles and organisation in this scene (tokens are minted once)."""
        sub = f"{'-'.join(roles)}-{org}-{self.tag}"
        return sub, self.devidp.headers(sub, roles, org)

    def report(self, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
        response = self.client.post(
            f"{BASE}/meldingen", json=melding_body(**fields), headers=headers
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    def refer_to_owb(self, melding_id: str) -> None:
        response = self.client.post(
            f"{BASE}/meldingen/{melding_id}/statuswijzigingen",
            json={"status": "doorverwezen", "doorverwezenNaar": "OWB"},
            headers=self.collega,
        )
        assert response.status_code == 201, response.text

    def handler_with_reach(self, situation: str) -> dict[str, str]:
        """A handler who may handle the melding of this situation (not its reporter)."""
        if situation.startswith("vertrouwelijk"):
            return self.person(["behandelaar"], OWB)[1]
        return self.collega

    def write_aangifte(self, melding_id: str, situation: str) -> None:
        response = self.client.put(
            f"{BASE}/meldingen/{melding_id}/aangifte",
            json=AANGIFTE_BODY,
            headers=self.handler_with_reach(situation),
        )
        assert response.status_code == 201, response.text

    def add_bijlage(self, melding_id: str, situation: str) -> str:
        response = self.client.post(
            f"{BASE}/meldingen/{melding_id}/bijlagen",
            files={"bestand": ("bewijs.png", png(), "image/png")},
            headers=self.handler_with_reach(situation),
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def plan_nazorg(self, melding_id: str, situation: str) -> str:
        response = self.client.post(
            f"{BASE}/meldingen/{melding_id}/nazorgmomenten",
            json=NAZORG_PLAN,
            headers=self.handler_with_reach(situation),
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])


@pytest.fixture
def scene(
    client: TestClient,
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> Scene:
    return Scene(client, devidp, unique_org, unique_sub)


_SHARED_SCENES: dict[str, Scene] = {}


@pytest.fixture
def shared_scene(
    backend: Backend,
    client: TestClient,
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> Scene:
    """One scene per backend for the table: each row makes its own melding, but the people
    (and their tokens) are reused, so the few hundred rows stay fast."""
    if backend.name not in _SHARED_SCENES:
        _SHARED_SCENES[backend.name] = Scene(client, devidp, unique_org, unique_sub)
    return _SHARED_SCENES[backend.name]


def _melding_for(scene: Scene, row: Row, sub: str, actor: dict[str, str]) -> str:
    """The id of the melding the row's situation is about (made for this row)."""
    may_report = row.role in {"melder", "behandelaar"}
    match row.situation:
        case "onbekend_id":
            return str(uuid.uuid4())
        case "eigen" if may_report:
            return str(scene.report(actor)["id"])
        case "eigen" | "namens":
            return str(scene.report(scene.collega, melder=sub)["id"])
        case "vertrouwelijk_eigen":
            return str(scene.report(actor, vertrouwelijk=True)["id"])
        case "vertrouwelijk_zelfde_org" | "vertrouwelijk_owb":
            return str(scene.report(scene.melder, vertrouwelijk=True)["id"])
        case "doorverwezen_owb" | "doorverwezen_zelfde_org":
            melding_id = str(scene.report(scene.melder)["id"])
            scene.refer_to_owb(melding_id)
            return melding_id
        case "zelfde_org" | "andere_org" | "owb":
            return str(scene.report(scene.melder)["id"])
        case other:
            raise AssertionError(f"unknown situation {other!r}")


def arrange(scene: Scene, row: Row) -> tuple[dict[str, str], str]:
    """The caller's headers and the concrete path for one row's situation."""
    org = ACTOR_ORG.get(row.situation, "A")
    org = {"A": scene.org_a, "B": scene.org_b}.get(org, org)
    sub, actor = scene.person([row.role], org)
    if row.path.endswith("/statistieken"):
        asked = {"vraagt_eigen_org": org, "vraagt_andere_org": scene.org_b}.get(row.situation)
        query = f"&organisatie={asked}" if asked else ""
        return actor, f"{row.path}?groepeerOp=gedragstype&groepeerOp=maand{query}"
    if "{id}" not in row.path:
        return actor, row.path
    melding_id = _melding_for(scene, row, sub, actor)
    exists = row.situation != "onbekend_id"
    if row.method == "GET" and row.path.endswith("/aangifte") and exists:
        scene.write_aangifte(melding_id, row.situation)
    moment_id = str(uuid.uuid4())
    if "{nid}" in row.path and exists:
        moment_id = scene.plan_nazorg(melding_id, row.situation)
    bijlage_id = str(uuid.uuid4())
    if "{bid}" in row.path and exists:
        bijlage_id = scene.add_bijlage(melding_id, row.situation)
    return actor, row.path.format(id=melding_id, nid=moment_id, bid=bijlage_id)


@pytest.mark.parametrize("row", rows("meldingen"), ids=lambda row: row.id)
def test_role_and_tenancy_table(shared_scene: Scene, row: Row) -> None:
    scene = shared_scene
    headers, path = arrange(scene, row)
    if row.action == "add_bijlage":  # multipart/form-data, the one body that is not JSON
        response = scene.client.post(path, files=row.body, headers=headers)
    else:
        response = scene.client.request(row.method, path, json=row.body, headers=headers)
    assert response.status_code == row.expected, f"{row.id}: {response.text}"
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")


def test_the_table_covers_every_meldingen_endpoint(tmp_path: Path) -> None:
    """A new endpoint without rows in the table fails here, not in production.

    Read from the OpenAPI document: FastAPI includes routers lazily, so `app.routes` is empty.
    """
    app = create_app(MeldingenSettings(data_dir=tmp_path, data_keys=TEST_KEYS, env="test"))
    document = app.openapi()
    served = {
        (method.upper(), BASE + path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    assert ("POST", f"{BASE}/meldingen") in served, "the document lists paths under /v1"
    covered = {(row.method, row.path) for row in rows("meldingen")}
    assert served - covered == set(), "endpoints without rows"
    assert covered - served == set(), "rows for an endpoint that is not served"
    roles = {row.role for row in rows("meldingen")}
    assert roles == {"melder", "behandelaar", *NEVER}


# ---- the finer rules ------------------------------------------------------------------------


def listed_ids(client: TestClient, headers: dict[str, str], **params: Any) -> set[str]:
    response = client.get(f"{BASE}/meldingen", params={"pageSize": 100, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return {melding["id"] for melding in response.json()["results"]}


def test_confidential_report_hidden_from_own_municipality(scene: Scene) -> None:
    confidential = scene.report(scene.melder, vertrouwelijk=True)
    ordinary = scene.report(scene.melder)
    _, owb = scene.person(["behandelaar"], OWB)

    assert listed_ids(scene.client, scene.collega) >= {ordinary["id"]}
    assert confidential["id"] not in listed_ids(scene.client, scene.collega)
    detail = f"{BASE}/meldingen/{confidential['id']}"
    assert scene.client.get(detail, headers=scene.collega).status_code == 404

    assert confidential["id"] in listed_ids(scene.client, owb, kenmerk=confidential["kenmerk"])
    assert scene.client.get(detail, headers=owb).status_code == 200
    assert scene.client.get(detail, headers=scene.melder).status_code == 200


def test_national_team_does_not_see_ordinary_reports(scene: Scene) -> None:
    ordinary = scene.report(scene.melder)
    _, owb = scene.person(["behandelaar"], OWB)
    assert not listed_ids(scene.client, owb, kenmerk=ordinary["kenmerk"])


def test_referral_to_owb_gives_the_national_team_reach(scene: Scene) -> None:
    melding = scene.report(scene.melder)
    _, owb = scene.person(["behandelaar"], OWB)
    detail = f"{BASE}/meldingen/{melding['id']}"
    assert scene.client.get(detail, headers=owb).status_code == 404

    scene.refer_to_owb(melding["id"])

    assert scene.client.get(detail, headers=owb).status_code == 200
    assert melding["id"] in listed_ids(scene.client, owb, kenmerk=melding["kenmerk"])
    # the municipality keeps its reach
    assert scene.client.get(detail, headers=scene.collega).status_code == 200


def test_referral_elsewhere_gives_the_national_team_no_reach(scene: Scene) -> None:
    melding = scene.report(scene.melder)
    moved = scene.client.post(
        f"{BASE}/meldingen/{melding['id']}/statuswijzigingen",
        json={"status": "doorverwezen", "doorverwezenNaar": "politie"},
        headers=scene.collega,
    )
    assert moved.status_code == 201
    _, owb = scene.person(["behandelaar"], OWB)
    assert scene.client.get(f"{BASE}/meldingen/{melding['id']}", headers=owb).status_code == 404


def test_melder_sees_only_own_reports(scene: Scene) -> None:
    mine = scene.report(scene.melder)
    _, neighbour = scene.person(["melder"], scene.org_a)
    theirs = scene.report(neighbour)
    assert listed_ids(scene.client, scene.melder) == {mine["id"]}
    assert listed_ids(scene.client, neighbour) == {theirs["id"]}


def test_handler_lists_only_own_organisation(scene: Scene) -> None:
    here = scene.report(scene.melder)
    _, elsewhere_melder = scene.person(["melder"], scene.org_b)
    elsewhere = scene.report(elsewhere_melder)
    assert listed_ids(scene.client, scene.collega) == {here["id"]}
    assert elsewhere["id"] not in listed_ids(scene.client, scene.collega)


def test_melder_does_not_see_behandelaar(scene: Scene) -> None:
    melding = scene.report(scene.melder)
    assigned = scene.client.post(
        f"{BASE}/meldingen/{melding['id']}/toewijzing",
        json={"behandelaar": "behandelaar-anna"},
        headers=scene.collega,
    )
    assert assigned.status_code == 200
    assert assigned.json()["behandelaar"] == "behandelaar-anna"

    detail = scene.client.get(f"{BASE}/meldingen/{melding['id']}", headers=scene.melder)
    assert "behandelaar" not in detail.json()
    listed = scene.client.get(f"{BASE}/meldingen", headers=scene.melder).json()["results"]
    assert all("behandelaar" not in item for item in listed)
    assert "behandelaar" not in melding  # nor in the answer to the create

    as_handler = scene.client.get(f"{BASE}/meldingen/{melding['id']}", headers=scene.collega)
    assert as_handler.json()["behandelaar"] == "behandelaar-anna"


def test_melder_sees_only_visible_notes_and_own_notes_always(scene: Scene) -> None:
    melding = scene.report(scene.melder)
    notes = f"{BASE}/meldingen/{melding['id']}/notities"

    def add(headers: dict[str, str], tekst: str, zichtbaar: bool) -> dict[str, Any]:
        response = scene.client.post(
            notes, json={"tekst": tekst, "zichtbaarVoorMelder": zichtbaar}, headers=headers
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    add(scene.collega, "Intern: dader is bekend bij de politie.", False)
    add(scene.collega, "We bellen u morgen.", True)
    own = add(scene.melder, "Er kwam vandaag weer een brief.", False)
    assert own["zichtbaarVoorMelder"] is True, "a melder's own note is always visible"

    seen_by_melder = scene.client.get(notes, headers=scene.melder).json()
    assert {n["tekst"] for n in seen_by_melder["results"]} == {
        "We bellen u morgen.",
        "Er kwam vandaag weer een brief.",
    }
    assert seen_by_melder["count"] == 2
    seen_by_handler = scene.client.get(notes, headers=scene.collega).json()
    assert seen_by_handler["count"] == 3
    assert all("auteur" not in n for n in seen_by_melder["results"])


def test_handler_who_is_the_melder_may_not_handle_but_may_withdraw(scene: Scene) -> None:
    sub, both = scene.person(["melder", "behandelaar"], scene.org_a)
    melding = scene.report(both)
    assert melding["melder"] == sub
    path = f"{BASE}/meldingen/{melding['id']}"
    assert scene.client.get(path, headers=both).status_code == 200
    assert scene.client.patch(path, json={"prioriteit": "hoog"}, headers=both).status_code == 403
    assert (
        scene.client.post(f"{path}/toewijzing", json={"behandelaar": sub}, headers=both).status_code
        == 403
    )
    move = scene.client.post(
        f"{path}/statuswijzigingen", json={"status": "afgehandeld"}, headers=both
    )
    assert move.status_code == 403
    withdraw = scene.client.post(
        f"{path}/statuswijzigingen", json={"status": "ingetrokken"}, headers=both
    )
    assert withdraw.status_code == 201
    # a colleague still handles it
    assert (
        scene.client.patch(path, json={"prioriteit": "hoog"}, headers=scene.collega).status_code
        == 200
    )


def test_report_on_behalf_gives_that_person_the_melder_reach(scene: Scene) -> None:
    sub, person = scene.person(["melder"], scene.org_a)
    melding = scene.report(scene.collega, melder=sub)
    assert melding["melder"] == sub
    assert listed_ids(scene.client, person) == {melding["id"]}


def test_melder_may_not_report_on_behalf_of_someone_else(scene: Scene) -> None:
    response = scene.client.post(
        f"{BASE}/meldingen", json=melding_body(melder="iemand-anders"), headers=scene.melder
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["melder"]


def test_organisation_must_be_own_unless_owb_handler(scene: Scene) -> None:
    elsewhere = melding_body(organisatie=scene.org_b)
    refused = scene.client.post(f"{BASE}/meldingen", json=elsewhere, headers=scene.melder)
    assert refused.status_code == 400
    assert [p["name"] for p in refused.json()["invalidParams"]] == ["organisatie"]
    also_refused = scene.client.post(f"{BASE}/meldingen", json=elsewhere, headers=scene.collega)
    assert also_refused.status_code == 400

    _, owb = scene.person(["behandelaar"], OWB)
    accepted = scene.client.post(f"{BASE}/meldingen", json=elsewhere, headers=owb)
    assert accepted.status_code == 201
    assert accepted.json()["organisatie"] == scene.org_b
