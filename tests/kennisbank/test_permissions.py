"""Roles of the kennisbank: the rows of tests/kennisbank/permissions.py over HTTP.

One scene per backend holds a published, a draft and an archived article that the reading and
the refused rows look at; a write the row expects to succeed gets an article of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.kennisbank.app import create_app
from services.kennisbank.config import KennisbankSettings
from tests.conftest import TEST_KEYS, Backend, DevIdp
from tests.kennisbank.conftest import BASE, artikel_body, uniek
from tests.kennisbank.permissions import ANONIEM, REDACTEUR, ROLES
from tests.permissions import Row, rows

# How to bring a new concept into each situation's state.
MOVES = {
    "concept": (),
    "gepubliceerd": ("gepubliceerd",),
    "gearchiveerd": ("gepubliceerd", "gearchiveerd"),
}


class Scene:
    def __init__(self, client: TestClient, devidp: DevIdp) -> None:
        self.client = client
        self.devidp = devidp
        self.word = uniek()
        self.redacteur = devidp.headers(f"redacteur-{self.word}", [REDACTEUR], "OWB")
        self.shared = {situation: self.article(situation) for situation in MOVES}

    def caller(self, role: str) -> dict[str, str]:
        if role == ANONIEM:
            return {}
        return self.devidp.headers(f"{role}-{self.word}", [role], "GM0363")

    def article(self, situation: str) -> str:
        body = artikel_body(titel=f"Rechtentest {situation} {self.word}")
        created = self.client.post(f"{BASE}/artikelen", json=body, headers=self.redacteur)
        assert created.status_code == 201, created.text
        slug = str(created.json()["slug"])
        for status in MOVES[situation]:
            moved = self.client.post(
                f"{BASE}/artikelen/{slug}/statuswijzigingen",
                json={"status": status},
                headers=self.redacteur,
            )
            assert moved.status_code == 201, moved.text
        return slug


_SCENES: dict[str, Scene] = {}


@pytest.fixture
def scene(backend: Backend, client: TestClient, devidp: DevIdp) -> Scene:
    if backend.name not in _SCENES:
        _SCENES[backend.name] = Scene(client, devidp)
    return _SCENES[backend.name]


def arrange(scene: Scene, row: Row) -> tuple[dict[str, str], str]:
    headers = scene.caller(row.role)
    if row.path.endswith("/zoeken"):
        return headers, f"{row.path}?q=woningscan"
    if "{slug}" not in row.path:
        return headers, row.path
    if row.situation == "onbekend_id":
        slug = f"bestaat-niet-{scene.word}"
    elif row.method != "GET" and row.expected < 300:
        slug = scene.article(row.situation)  # a successful write changes it: its own article
    else:
        slug = scene.shared[row.situation]
    return headers, row.path.replace("{slug}", slug)


@pytest.mark.parametrize("row", rows("kennisbank"), ids=lambda r: r.id)
def test_role_table(scene: Scene, row: Row) -> None:
    headers, path = arrange(scene, row)
    response = scene.client.request(row.method, path, json=row.body, headers=headers)
    assert response.status_code == row.expected, f"{row.id}: {response.text}"
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
    if response.status_code == 401:
        assert response.headers["www-authenticate"].startswith("Bearer")


def _normalise(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_the_table_covers_every_kennisbank_operation(tmp_path: Path) -> None:
    """A new operation without rows fails here: read from the service's OpenAPI document."""
    app = create_app(KennisbankSettings(data_dir=tmp_path, data_keys=TEST_KEYS, env="test"))
    served = {
        (method.upper(), _normalise(BASE + path))
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    assert ("POST", f"{BASE}/artikelen") in served, "the document lists paths under /v1"
    table = rows("kennisbank")
    covered = {(row.method, _normalise(row.path)) for row in table}
    assert served - covered == set(), "operations without rows"
    assert covered - served == set(), "rows for an operation that is not served"
    for method, path in served:
        roles = {row.role for row in table if (row.method, _normalise(row.path)) == (method, path)}
        assert roles == set(ROLES), f"{method} {path}: rows for {sorted(set(ROLES) - roles)}"
    ids = [row.id for row in table]
    assert len(ids) == len(set(ids)), "duplicate rows"
