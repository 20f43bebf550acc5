"""API1 broken object level authorization and API3 broken object property level authorization.

API1: for every meldingen operation on one melding (taken from the OpenAPI document, so new
sub-resources are covered as they land), another melder and a handler of another organisation
get exactly what they get for an id that does not exist — never a 2xx, never a different
answer that would tell the id exists — and the melding is unchanged afterwards. Beveiliging's
home scans and risk analyses likewise.

API3: read-only and unknown properties in a body are refused with 400 and never applied.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from tests.conftest import Backend, DevIdp
from tests.meldingen.bijlagen import png
from tests.meldingen.conftest import melding_body
from tests.security.conftest import SERVICES, Operation, documented_operations

MELDINGEN = next(s for s in SERVICES if s.name == "meldingen")
BEVEILIGING = next(s for s in SERVICES if s.name == "beveiliging")
BASE = MELDINGEN.base

# A body that passes validation, per path ending, so only reach decides the answer.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("PATCH", "/meldingen/{id}"): {"prioriteit": "hoog"},
    ("POST", "/statuswijzigingen"): {"status": "in_behandeling", "toelichting": "Opgepakt."},
    ("POST", "/toewijzing"): {"behandelaar": "iemand"},
    ("POST", "/notities"): {"tekst": "Gebeld.", "zichtbaarVoorMelder": True},
    ("PUT", "/aangifte"): {
        "datumAangifte": "2026-01-05",
        "politieRegistratienummer": "PL0900-2026001",
        "status": "gedaan",
        "ondersteuning": [],
    },
    ("POST", "/nazorgmomenten"): {"gepland": "2027-01-05T10:00:00+01:00", "omschrijving": "Bel"},
    ("PATCH", "/nazorgmomenten/{nid}"): {"uitgevoerd": True, "uitkomst": "Goed gesprek"},
}


def _body(operation: Operation) -> dict[str, Any] | None:
    if not operation.has_body:
        return None
    for (method, ending), body in BODIES.items():
        if operation.method == method and operation.path.endswith(ending):
            return body
    return {}


def _call(client: TestClient, op: Operation, path: str, headers: dict[str, str]) -> Any:
    if "multipart/form-data" in op.spec.get("requestBody", {}).get("content", {}):
        files = {"bestand": ("bewijs.png", png(), "image/png")}  # an upload (bijlagen)
        return client.request(op.method, path, files=files, headers=headers)
    return client.request(op.method, path, json=_body(op), headers=headers)


@pytest.fixture
def meldingen_client(backend: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    return service_client(backend, "meldingen", create_app, MeldingenSettings)


def test_another_users_melding_answers_like_one_that_does_not_exist(
    meldingen_client: TestClient, devidp: DevIdp, unique_org: Callable[[], str]
) -> None:
    client = meldingen_client
    org, other_org = unique_org(), unique_org()
    owner = devidp.headers(f"bola-owner-{org}", ["melder"], org)
    created = client.post(f"{BASE}/meldingen", json=melding_body(), headers=owner)
    assert created.status_code == 201
    melding = created.json()
    strangers = {
        "other melder, same organisation": devidp.headers(f"bola-m-{org}", ["melder"], org),
        "handler, other organisation": devidp.headers(
            f"bola-h-{other_org}", ["behandelaar"], other_org
        ),
        "handler and melder, other organisation": devidp.headers(
            f"bola-hm-{other_org}", ["behandelaar", "melder"], other_org
        ),
    }
    operations = [o for o in documented_operations(client, MELDINGEN) if "{id}" in o.path]
    assert len(operations) >= 6
    checked = 0
    for op in operations:
        for who, headers in strangers.items():
            real_path = op.path.replace("{id}", melding["id"])
            real_path = real_path.replace("{nid}", str(uuid.uuid4()))
            real_path = _fill_rest(real_path)
            unknown_path = _fill_rest(op.path.replace("{id}", str(uuid.uuid4())))
            real = _call(client, op, real_path, headers)
            unknown = _call(client, op, unknown_path, headers)
            assert real.status_code not in range(200, 300), (op.method, op.path, who)
            assert real.status_code in (403, 404), (op.method, op.path, who, real.text)
            assert real.status_code == unknown.status_code, (op.method, op.path, who)
            assert real.json()["title"] == unknown.json()["title"]
            checked += 1
    # nothing the strangers sent reached the melding
    after = client.get(f"{BASE}/meldingen/{melding['id']}", headers=owner).json()
    assert after["status"] == "ontvangen"
    assert after["prioriteit"] == melding["prioriteit"]
    notes = client.get(f"{BASE}/meldingen/{melding['id']}/notities", headers=owner).json()
    assert notes["count"] == 0
    assert checked == len(operations) * len(strangers)


def _fill_rest(path: str) -> str:
    import re

    return re.sub(r"\{[^}]+\}", str(uuid.uuid4()), path)


def test_lists_never_show_another_users_meldingen(
    meldingen_client: TestClient, devidp: DevIdp, unique_org: Callable[[], str]
) -> None:
    org = unique_org()
    owner = devidp.headers(f"bola-list-{org}", ["melder"], org)
    created = meldingen_client.post(f"{BASE}/meldingen", json=melding_body(), headers=owner)
    kenmerk = created.json()["kenmerk"]
    for headers in (
        devidp.headers(f"bola-list-other-{org}", ["melder"], org),
        devidp.headers(f"bola-list-h-{org}", ["behandelaar"], unique_org()),
    ):
        listed = meldingen_client.get(
            f"{BASE}/meldingen", params={"kenmerk": kenmerk}, headers=headers
        )
        assert listed.status_code == 200
        assert listed.json()["count"] == 0


def test_another_users_home_scan_and_risk_analysis_are_not_found(
    backend: Backend,
    service_client: Callable[..., TestClient],
    devidp: DevIdp,
    unique_org: Callable[[], str],
) -> None:
    create_app_b, settings = BEVEILIGING.factory()
    client = service_client(backend, "beveiliging", create_app_b, settings)
    from tests.beveiliging.helpers import scan_aanvragen

    org = unique_org()
    owner = devidp.headers(f"bola-scan-{org}", ["melder"], org)
    scan = scan_aanvragen(client, owner)
    others = (
        devidp.headers(f"bola-scan-other-{org}", ["melder"], org),
        devidp.headers(f"bola-adv-{org}", ["beveiligingsadviseur"], unique_org()),
    )
    for headers in others:
        real = client.get(f"{BEVEILIGING.base}/woningscans/{scan['id']}", headers=headers)
        unknown = client.get(f"{BEVEILIGING.base}/woningscans/{uuid.uuid4()}", headers=headers)
        assert real.status_code == unknown.status_code == 404
        moved = client.post(
            f"{BEVEILIGING.base}/woningscans/{scan['id']}/statuswijzigingen",
            json={"status": "geannuleerd"},
            headers=headers,
        )
        assert moved.status_code in (403, 404)
        assert "Stationsplein" not in real.text
    still = client.get(f"{BEVEILIGING.base}/woningscans/{scan['id']}", headers=owner).json()
    assert still["status"] == "aangevraagd"


READ_ONLY_ON_CREATE = {
    "id": str(uuid.uuid4()),
    "kenmerk": "MLD-2026-000001",
    "status": "afgehandeld",
    "prioriteit": "spoed",
    "behandelaar": "ik-zelf",
    "aangemaaktOp": "2020-01-01T00:00:00+00:00",
    "gewijzigdOp": "2020-01-01T00:00:00+00:00",
    "advies": ["niets doen"],
    "isAdmin": True,
}


@pytest.mark.parametrize("field", sorted(READ_ONLY_ON_CREATE))
def test_read_only_fields_on_create_are_400_and_nothing_is_created(
    meldingen_client: TestClient, devidp: DevIdp, unique_org: Callable[[], str], field: str
) -> None:
    org = unique_org()
    melder = devidp.headers(f"bopla-{org}", ["melder"], org)
    body = melding_body(**{field: READ_ONLY_ON_CREATE[field]})
    response = meldingen_client.post(f"{BASE}/meldingen", json=body, headers=melder)
    assert response.status_code == 400, response.text
    assert field in [p["name"] for p in response.json()["invalidParams"]]
    listed = meldingen_client.get(f"{BASE}/meldingen", headers=melder)
    assert listed.json()["count"] == 0


def test_another_organisation_is_refused_for_a_melder(
    meldingen_client: TestClient, devidp: DevIdp, unique_org: Callable[[], str]
) -> None:
    org = unique_org()
    melder = devidp.headers(f"bopla-org-{org}", ["melder"], org)
    body = melding_body(organisatie=unique_org())
    response = meldingen_client.post(f"{BASE}/meldingen", json=body, headers=melder)
    assert response.status_code == 400
    assert "organisatie" in [p["name"] for p in response.json()["invalidParams"]]
    assert meldingen_client.get(f"{BASE}/meldingen", headers=melder).json()["count"] == 0


READ_ONLY_ON_PATCH = {
    "status": "afgehandeld",
    "kenmerk": "MLD-2026-000001",
    "organisatie": "GM0001",
    "vertrouwelijk": True,
    "melder": "iemand-anders",
    "omschrijving": "overschreven",
    "behandelaar": "ik",
    "id": str(uuid.uuid4()),
}


def test_read_only_fields_on_patch_are_400_and_never_applied(
    meldingen_client: TestClient, devidp: DevIdp, unique_org: Callable[[], str]
) -> None:
    org = unique_org()
    melder = devidp.headers(f"bopla-p-{org}", ["melder"], org)
    handler = devidp.headers(f"bopla-ph-{org}", ["behandelaar"], org)
    melding = meldingen_client.post(f"{BASE}/meldingen", json=melding_body(), headers=melder).json()
    url = f"{BASE}/meldingen/{melding['id']}"
    before = meldingen_client.get(url, headers=handler).json()
    for field, value in READ_ONLY_ON_PATCH.items():
        for body in ({field: value}, {field: value, "prioriteit": "hoog"}):
            response = meldingen_client.patch(url, json=body, headers=handler)
            assert response.status_code == 400, (field, response.text)
            assert field in [p["name"] for p in response.json()["invalidParams"]]
    after = meldingen_client.get(url, headers=handler).json()
    for key in ("status", "kenmerk", "organisatie", "vertrouwelijk", "prioriteit", "omschrijving"):
        assert after.get(key) == before.get(key), key


def test_read_only_fields_in_other_services_are_refused(
    backend: Backend,
    service_client: Callable[..., TestClient],
    devidp: DevIdp,
    unique_org: Callable[[], str],
) -> None:
    create_app_b, settings_b = BEVEILIGING.factory()
    beveiliging = service_client(backend, "beveiliging", create_app_b, settings_b)
    from tests.beveiliging.helpers import ADRES

    org = unique_org()
    melder = devidp.headers(f"bopla-b-{org}", ["melder"], org)
    for extra in ({"status": "afgerond"}, {"id": str(uuid.uuid4())}, {"organisatie": "OWB"}):
        body = {"adres": ADRES, "reden": "Bedreigd", **extra}
        response = beveiliging.post(f"{BEVEILIGING.base}/woningscans", json=body, headers=melder)
        assert response.status_code == 400, (extra, response.text)

    kennisbank_info = next(s for s in SERVICES if s.name == "kennisbank")
    create_app_k, settings_k = kennisbank_info.factory()
    kennisbank = service_client(backend, "kennisbank", create_app_k, settings_k)
    from tests.kennisbank.conftest import artikel_body

    redacteur = devidp.headers("bopla-redacteur", ["redacteur"], "OWB")
    for extra in ({"status": "gepubliceerd"}, {"slug": "eigen-slug"}, {"versie": 9}):
        response = kennisbank.post(
            f"{kennisbank_info.base}/artikelen", json=artikel_body(**extra), headers=redacteur
        )
        assert response.status_code == 400, (extra, response.text)
