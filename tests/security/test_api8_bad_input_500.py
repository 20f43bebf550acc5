"""API8: input a client controls never reaches a 500; it is a 400 that names the parameter.

Found by an attack on the running stack and again by schemathesis: a zoned time that falls
outside the years 1..9999 once converted to UTC (`0001-01-01T00:00:00+01:00`) crashed the
database layer, and an empty body without a content type crashed a dependency that peeked at
the body. Both are checked where they were found and swept over every operation.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.beveiliging.app import create_app as create_beveiliging
from services.beveiliging.config import BeveiligingSettings
from services.beveiliging.seed import seed
from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import BASE, Scene
from tests.security.conftest import SERVICES, ServiceInfo, documented_operations

EXTREME = (
    "0001-01-01T00:00:00+01:00",  # before year 1 in UTC
    "9999-12-31T23:30:00-01:00",  # after year 9999 in UTC
)
BEVEILIGING = "/api/beveiliging/v1"


def _names(response: Any) -> set[str]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return {p["name"] for p in response.json()["invalidParams"]}


def _statuswijzigingen_of_new_scan(beveiliging: TestClient, melder: dict[str, str]) -> str:
    """The status-change URL of a home scan this melder has just asked for."""
    scan = beveiliging.post(
        f"{BEVEILIGING}/woningscans",
        json={
            "adres": {
                "straat": "Dam",
                "huisnummer": "1",
                "postcode": "1012 JS",
                "woonplaats": "Amsterdam",
            },
            "reden": "Bedreigd",
        },
        headers=melder,
    )
    assert scan.status_code == 201, scan.text
    return f"{BEVEILIGING}/woningscans/{scan.json()['id']}/statuswijzigingen"


def test_list_time_filters_out_of_range(client: TestClient, scene: Scene) -> None:
    for value in EXTREME:
        for name in ("van", "tot"):
            listed = client.get(f"{BASE}/meldingen", params={name: value}, headers=scene.handler)
            assert _names(listed) == {name}, (name, value)


def test_aftercare_gepland_out_of_range(client: TestClient, scene: Scene) -> None:
    for value in EXTREME:
        created = client.post(
            scene.url("/nazorgmomenten"),
            json={"gepland": value, "omschrijving": "Nabellen"},
            headers=scene.handler,
        )
        assert _names(created) == {"gepland"}, value


@pytest.fixture
def beveiliging(backend: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    client = service_client(backend, "beveiliging", create_beveiliging, BeveiligingSettings)
    # The catalogue of measures, so a measure with an extreme einddatum is really stored.
    asyncio.run(
        seed(BeveiligingSettings(**backend.settings_kwargs()), backend.target("beveiliging"))
    )
    return client


def test_home_scan_gepland_out_of_range_and_empty_body(
    beveiliging: TestClient,
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> None:
    org = unique_org()
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    adviseur = devidp.headers(unique_sub("adviseur"), ["beveiligingsadviseur"], org)
    url = _statuswijzigingen_of_new_scan(beveiliging, melder)
    for value in EXTREME:
        planned = beveiliging.post(
            url,
            json={"status": "ingepland", "gepland": value, "adviseur": "adv-1"},
            headers=adviseur,
        )
        assert _names(planned) == {"gepland"}, value
    for headers in (melder, adviseur):
        empty = beveiliging.post(url, content=b"", headers=headers)
        assert empty.status_code == 400, empty.text
        assert empty.headers["content-type"] == "application/problem+json"
    not_json = beveiliging.post(
        url, content=b"{", headers={**melder, "Content-Type": "application/json"}
    )
    assert not_json.status_code == 400, not_json.text


ROLES = ("melder", "behandelaar", "beveiligingsadviseur", "redacteur", "analist", "beheerder")


def test_no_body_operation_answers_500_to_an_empty_or_broken_body(
    plain_client: TestClient, service: ServiceInfo, devidp: DevIdp
) -> None:
    operations = [o for o in documented_operations(plain_client, service) if o.has_body]
    assert operations
    failures = []
    for role in ROLES:
        headers = devidp.headers(f"leeg-{role}", [role], "GM0363")
        for operation in operations:
            path = operation.filled(str(uuid.uuid4()))
            for content, extra in (
                (b"", {}),
                (b"", {"Content-Type": "application/json"}),
                (b"null", {"Content-Type": "application/json"}),
                (b"[]", {"Content-Type": "application/json"}),
                (b'"x"', {"Content-Type": "application/json"}),
            ):
                answer = plain_client.request(
                    operation.method, path, content=content, headers={**headers, **extra}
                )
                if answer.status_code >= 500:
                    failures.append((role, operation.method, operation.path, content))
    assert failures == []


EXTREME_DATES = ("0001-01-01", "9999-12-31")
EXTREME_TIMES = (
    *EXTREME,
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:30:00+00:30",
)


def test_extreme_dates_and_times_elsewhere_are_never_a_500(
    client: TestClient,
    beveiliging: TestClient,
    scene: Scene,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
) -> None:
    adviser = devidp.headers(unique_sub("adviseur"), ["beveiligingsadviseur"], scene.org)
    answers = []
    for value in EXTREME_TIMES:
        answers.append(
            client.post(
                f"{BASE}/meldingen",
                json={
                    "gedragstype": "verward_gedrag",
                    "vormen": ["verbaal"],
                    "omschrijving": "Uiterste tijd",
                    "datumVoorval": value,
                    "functie": "raadslid",
                },
                headers=scene.melder,
            )
        )
    for value in EXTREME_DATES:
        answers.append(
            client.put(
                scene.url("/aangifte"),
                json={
                    "datumAangifte": value,
                    "politieRegistratienummer": "PL0900-2026001",
                    "status": "gedaan",
                    "ondersteuning": [],
                },
                headers=scene.handler,
            )
        )
        answers.append(
            beveiliging.post(
                f"{BEVEILIGING}/beveiligingsmaatregelen",
                json={
                    "maatregel": "paniekknop",
                    "betreft": unique_sub("betreft"),
                    "kosten": "1.00",
                    "financier": "rijk",
                    "einddatum": value,
                },
                headers=adviser,
            )
        )
        answers.append(
            beveiliging.get(
                f"{BEVEILIGING}/beveiligingsmaatregelen",
                params={"verlooptVoor": value},
                headers=adviser,
            )
        )
        answers.append(
            beveiliging.post(
                f"{BEVEILIGING}/veiligheidspakketten",
                json={"burgemeester": unique_sub("bm"), "gemeente": scene.org, "startdatum": value},
                headers=adviser,
            )
        )
    assert [a.status_code for a in answers if a.status_code >= 500] == []
    assert 201 in {a.status_code for a in answers}  # the control: some were stored
    assert all(
        a.status_code < 300 or a.headers["content-type"] == "application/problem+json"
        for a in answers
    )


# Found by schemathesis through the gateway: pydantic takes a number (or a numeric query
# string) for a date or date-time as Unix seconds, so `"datumVoorval": 1700000000` was stored
# as 2023-11-14 and `?van=0.5` filtered from 1970. The contract's dates are RFC 3339 text.
NUMBERS = (0, 1700000000, 1.5, "0.5", "1700000000", True)


def test_numbers_for_dates_and_times_are_refused(
    client: TestClient,
    beveiliging: TestClient,
    scene: Scene,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
) -> None:
    adviser = devidp.headers(unique_sub("adviseur"), ["beveiligingsadviseur"], scene.org)
    for value in NUMBERS:
        melding = client.post(
            f"{BASE}/meldingen",
            json={
                "gedragstype": "verward_gedrag",
                "vormen": ["verbaal"],
                "omschrijving": "Tijd als getal",
                "datumVoorval": value,
                "functie": "raadslid",
            },
            headers=scene.melder,
        )
        assert _names(melding) == {"datumVoorval"}, value
        nazorg = client.post(
            scene.url("/nazorgmomenten"),
            json={"gepland": value, "omschrijving": "Nabellen"},
            headers=scene.handler,
        )
        assert _names(nazorg) == {"gepland"}, value
        aangifte = client.put(
            scene.url("/aangifte"),
            json={"datumAangifte": value, "status": "gedaan", "ondersteuning": []},
            headers=scene.handler,
        )
        assert _names(aangifte) == {"datumAangifte"}, value
        maatregel = beveiliging.post(
            f"{BEVEILIGING}/beveiligingsmaatregelen",
            json={
                "maatregel": "paniekknop",
                "betreft": unique_sub("betreft"),
                "kosten": "1.00",
                "financier": "rijk",
                "einddatum": value,
            },
            headers=adviser,
        )
        assert _names(maatregel) == {"einddatum"}, value
        pakket = beveiliging.post(
            f"{BEVEILIGING}/veiligheidspakketten",
            json={"burgemeester": unique_sub("bm"), "gemeente": scene.org, "startdatum": value},
            headers=adviser,
        )
        assert _names(pakket) == {"startdatum"}, value
    for value in ("0", "0.5", "1700000000"):
        for name in ("van", "tot"):
            listed = client.get(f"{BASE}/meldingen", params={name: value}, headers=scene.handler)
            assert _names(listed) == {name}, (name, value)
        expiring = beveiliging.get(
            f"{BEVEILIGING}/beveiligingsmaatregelen",
            params={"verlooptVoor": value},
            headers=adviser,
        )
        assert _names(expiring) == {"verlooptVoor"}, value
    # The control: the documented text forms are still accepted.
    listed = client.get(
        f"{BASE}/meldingen", params={"van": "2026-01-01T00:00:00Z"}, headers=scene.handler
    )
    assert listed.status_code == 200, listed.text


# Found by hand on PostgreSQL while checking a schemathesis run: PostgreSQL text cannot hold
# NUL, and these beveiliging fields reached the database as plain text (or as a lookup).
NUL_TEXT = "bedreiging\x00"


def test_nul_in_stored_beveiliging_text_is_a_400(
    beveiliging: TestClient,
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> None:
    org = unique_org()
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    adviser = devidp.headers(unique_sub("adviseur"), ["beveiligingsadviseur"], org)
    beheerder = devidp.headers(unique_sub("beheerder"), ["beheerder"], "OWB")
    catalogue = f"{BEVEILIGING}/maatregelen"
    code = f"nul_{uuid.uuid4().hex[:8]}"
    for field in ("naam", "omschrijving"):
        body = {"code": code, "naam": "Rolluik", "categorie": "bouwkundig", "omschrijving": "x"}
        created = beveiliging.post(catalogue, json={**body, field: NUL_TEXT}, headers=beheerder)
        assert _names(created) == {field}
    stored = beveiliging.post(
        catalogue,
        json={"code": code, "naam": "Rolluik", "categorie": "bouwkundig", "omschrijving": "x"},
        headers=beheerder,
    )
    assert stored.status_code == 201, stored.text
    for field in ("naam", "omschrijving"):
        patched = beveiliging.patch(
            f"{catalogue}/{code}", json={field: NUL_TEXT}, headers=beheerder
        )
        assert _names(patched) == {field}
    measure = beveiliging.post(
        f"{BEVEILIGING}/beveiligingsmaatregelen",
        json={"maatregel": NUL_TEXT, "betreft": "x1", "kosten": "1.00", "financier": "rijk"},
        headers=adviser,
    )
    assert _names(measure) == {"maatregel"}
    url = _statuswijzigingen_of_new_scan(beveiliging, melder)
    planned = {"status": "ingepland", "gepland": "2026-01-05T10:00:00Z", "adviseur": "adv-1"}
    toelichting = beveiliging.post(url, json={**planned, "toelichting": NUL_TEXT}, headers=adviser)
    assert _names(toelichting) == {"toelichting"}
    advies = beveiliging.post(
        url, json={"status": "advies_opgeleverd", "advies": [NUL_TEXT]}, headers=adviser
    )
    assert _names(advies) == {"advies.0"}


# Found by schemathesis through the gateway: a malformed body named the decoder's offset as a
# field, and a deep nest or a long number was a bare `about:blank` 400. Every body that is not
# the contract's JSON is now one documented problem, in every service (json_body.py).
NOTIFICATIES = ServiceInfo(
    "notificaties", "services.notificaties.app", "services.notificaties.config.NotificatiesSettings"
)
UNDECODABLE = (
    b'{"naam": "x",',
    b"[" * 10_000 + b"]" * 10_000,
    b'{"a": ' + b"[" * 65 + b"]" * 65 + b"}",
    b'{"a": ' + b"9" * 5_000 + b"}",
    b'{"a": NaN}',
    b'{"a": 1, "a": 2}',
    b'\xef\xbb\xbf{"a": 1}',
    b'{"a": "\xff"}',
)


@pytest.mark.parametrize("info", [*SERVICES, NOTIFICATIES], ids=lambda info: info.name)
def test_every_json_operation_refuses_undecodable_bodies_alike(
    info: ServiceInfo,
    sqlite_only: Backend,
    service_client: Callable[..., TestClient],
    devidp: DevIdp,
) -> None:
    create_app, settings = info.factory()
    client = service_client(sqlite_only, info.name, create_app, settings)
    document = client.get(f"{info.base}/openapi.json").json()
    # Documented where partners look: the service's description and each operation's 400.
    description = " ".join(document["info"]["description"].split())
    assert "`ongeldige-json` (400)" in description
    assert "hoogstens 64 niveaus diep" in description
    assert "elk getal hoogstens 100 tekens" in description
    assert "geen naam twee keer in één object" in description
    operations = [
        o
        for o in documented_operations(client, info)
        if "application/json" in o.spec.get("requestBody", {}).get("content", {})
    ]
    assert operations
    # The body is judged before the role and the reach: any valid token, any id.
    headers = {
        **devidp.headers("json-edges", ["melder"], "GM0363"),
        "Content-Type": "application/json",
    }
    answers = {}
    for operation in operations:
        assert "ongeldige-json" in operation.spec["responses"]["400"]["description"]
        for payload in UNDECODABLE:
            answer = client.request(
                operation.method,
                operation.filled(str(uuid.uuid4())),
                content=payload,
                headers=headers,
            )
            body = answer.json()
            answers[(operation.method, operation.path, payload[:12])] = (
                answer.status_code,
                body.get("type"),
                "invalidParams" in body,
            )
    wrong = {
        k: v
        for k, v in answers.items()
        if v != (400, "urn:weerbaar:probleem:ongeldige-json", False)
    }
    assert wrong == {}
