"""Roles and tenancy of beveiliging: the rows of tests/beveiliging/permissions.py over HTTP.

One scene per backend: the organisations, the people (and their tokens) and the resources the
rows look at are made once. A row that would change a shared resource (a write it expects to
succeed) gets a fresh one; a refused write leaves the shared one as it was.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.beveiliging.app import create_app
from services.beveiliging.config import BeveiligingSettings
from services.beveiliging.risicoanalyse.vragenlijst import VRAGENLIJST_V1, VraagType
from tests.beveiliging.conftest import Omgeving, Token, gemeente, uniek
from tests.beveiliging.helpers import ADRES, BASE, scan_aanvragen
from tests.beveiliging.permissions import NEVER, ROLES
from tests.conftest import TEST_KEYS
from tests.permissions import Row, rows

ANTWOORDEN = {v.code: False if v.type is VraagType.ja_nee else 0 for v in VRAGENLIJST_V1.vragen}


def _body(row: Row, org_a: str, caller_sub: str) -> dict[str, Any] | None:
    bodies: dict[str, dict[str, Any]] = {
        "create": {"adres": ADRES, "reden": "Dreiging"}
        if "woningscans" in row.path
        else {"maatregel": "paniekknop", "betreft": uniek(), "kosten": "1", "financier": "rijk"},
        "adres": {"adres": ADRES},
        "plan": {"status": "ingepland", "gepland": "2027-01-01T10:00:00+01:00", "adviseur": "a"},
        "cancel": {"status": "geannuleerd"},
        "move": {"status": "goedgekeurd"},
        "toevoegen": {"code": f"t_{uuid.uuid4().hex[:12]}", "naam": "Test", "categorie": "digitaal",
                      "omschrijving": "Een maatregel voor de rechtentest."},
        "wijzig": {"naam": "Test, gewijzigd"},
        "zelf": {"vragenlijstVersie": 1, "antwoorden": ANTWOORDEN},
        "pakket": {"burgemeester": uniek("bm"), "gemeente": org_a, "startdatum": "2027-01-01"},
        "create_zelf": {"maatregel": "paniekknop", "betreft": caller_sub, "kosten": "1",
                        "financier": "rijk"},
        "pakket_zelf": {"burgemeester": caller_sub, "gemeente": org_a, "startdatum": "2027-01-01"},
    }  # fmt: skip
    if row.method == "GET":
        return None
    return bodies.get(row.action)


class Scene:
    """Organisations A and B, a melder in A, an adviser in A, and the resources of each kind:
    one of the melder's (for `zelfde_org`, `andere_org`, `owb`) and one per role for `eigen`."""

    def __init__(self, client: TestClient, token: Token) -> None:
        self.client = client
        self.token = token
        self.org_a, self.org_b = gemeente(), gemeente()
        self.tag = uniek("scene")
        self.melder_sub = f"melder-{self.tag}"
        self.melder = token(self.melder_sub, ["melder"], self.org_a)
        self.adviseur = token(f"adv-{self.tag}", ["beveiligingsadviseur"], self.org_a)
        self.beheerder = token(f"beheer-{self.tag}", ["beheerder"], self.org_a)
        self._shared: dict[tuple[str, str], str] = {}
        self.catalogus_code = self._catalogus_item()

    def person(self, role: str, situation: str) -> tuple[str, dict[str, str]]:
        """The caller of a row: for `eigen` the owner of that role's own resources."""
        org = {"andere_org": self.org_b, "owb": "OWB"}.get(situation, self.org_a)
        sub = f"eigen-{role}-{self.tag}" if situation == "eigen" else f"{role}-{org}-{self.tag}"
        return sub, self.token(sub, [role], org)

    def resource(self, kind: str, situation: str, role: str, *, fresh: bool) -> str:
        """The id of the resource of this kind the row's situation is about."""
        if situation == "onbekend_id":
            return str(uuid.uuid4())
        owner = role if situation == "eigen" else ""
        key = (kind, owner)
        if fresh or key not in self._shared:
            made = self._make(kind, owner)
            if fresh:
                return made
            self._shared[key] = made
        return self._shared[key]

    def _make(self, kind: str, owner_role: str) -> str:
        if owner_role:
            sub, _ = self.person(owner_role, "eigen")
            as_melder = self.token(sub, ["melder"], self.org_a)
        else:
            sub, as_melder = self.melder_sub, self.melder
        match kind:
            case "woningscans":
                return str(scan_aanvragen(self.client, as_melder)["id"])
            case "beveiligingsmaatregelen":
                body = {"maatregel": "paniekknop", "betreft": sub, "kosten": "1.00"}
                return self._post(kind, {**body, "financier": "eigen"}, self.adviseur)
            case "risicoanalyses":
                # the owner runs it about themselves, in their own role
                runner = self.person(owner_role, "eigen")[1] if owner_role else self.melder
                body = {"vragenlijstVersie": 1, "antwoorden": ANTWOORDEN}
                return self._post(kind, body, runner)
            case "veiligheidspakketten":
                body = {"burgemeester": sub, "gemeente": self.org_a, "startdatum": "2027-01-01"}
                return self._post(kind, body, self.adviseur)
        raise AssertionError(f"no resource of kind {kind!r}")

    def _post(self, kind: str, body: dict[str, Any], headers: dict[str, str]) -> str:
        response = self.client.post(f"{BASE}/{kind}", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def _catalogus_item(self) -> str:
        code = f"t_{uuid.uuid4().hex[:12]}"
        body = {"code": code, "naam": "Test", "categorie": "digitaal", "omschrijving": "Test."}
        response = self.client.post(f"{BASE}/maatregelen", json=body, headers=self.beheerder)
        assert response.status_code == 201, response.text
        return code


_SCENES: dict[str, Scene] = {}


@pytest.fixture
def scene(omgeving: Omgeving, token: Token) -> Scene:
    if omgeving.backend not in _SCENES:
        _SCENES[omgeving.backend] = Scene(omgeving.client, token)
    return _SCENES[omgeving.backend]


def arrange(scene: Scene, row: Row) -> tuple[dict[str, str], str]:
    _, caller = scene.person(row.role, row.situation)
    if "{code}" in row.path:
        code = scene.catalogus_code if row.situation == "bestaand" else "bestaat_niet"
        return caller, row.path.replace("{code}", code)
    if "{id}" not in row.path:
        return caller, row.path
    kind = row.path.removeprefix(f"{BASE}/").split("/")[0]
    fresh = row.method != "GET" and row.expected < 300
    resource_id = scene.resource(kind, row.situation, row.role, fresh=fresh)
    return caller, row.path.replace("{id}", resource_id)


@pytest.mark.parametrize("row", rows("beveiliging"), ids=lambda r: r.id)
def test_role_and_reach(scene: Scene, row: Row) -> None:
    headers, path = arrange(scene, row)
    sub, _ = scene.person(row.role, row.situation)
    body = _body(row, scene.org_a, sub)
    response = scene.client.request(row.method, path, json=body, headers=headers)
    assert response.status_code == row.expected, f"{row.id}: {response.text}"
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")


def _normalise(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_the_table_covers_every_beveiliging_operation(tmp_path: Path) -> None:
    """A new operation without rows fails here: read from the service's OpenAPI document."""
    app = create_app(BeveiligingSettings(data_dir=tmp_path, data_keys=TEST_KEYS, env="test"))
    served = {
        (method.upper(), _normalise(BASE + path))
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    assert ("POST", f"{BASE}/woningscans") in served, "the document lists paths under /v1"
    table = rows("beveiliging")
    covered = {(row.method, _normalise(row.path)) for row in table}
    assert served - covered == set(), "operations without rows"
    assert covered - served == set(), "rows for an operation that is not served"
    for method, path in served:
        roles = {row.role for row in table if (row.method, _normalise(row.path)) == (method, path)}
        assert roles == set(ROLES), f"{method} {path}: rows for {sorted(set(ROLES) - roles)}"
    assert set(NEVER) < set(ROLES)


def test_each_row_is_run_once() -> None:
    ids = [row.id for row in rows("beveiliging")]
    assert len(ids) == len(set(ids)), "duplicate rows"
