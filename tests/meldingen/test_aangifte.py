"""The police report and the criminal process: who writes it, validation, history kept."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta

from fastapi.testclient import TestClient

from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import report
from tests.meldingen.db import query

BASE = "/api/meldingen/v1"


def _aangifte(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "datumAangifte": "2026-11-21",
        "politieRegistratienummer": "PL0900-2026112100123",
        "status": "gedaan",
        "ondersteuning": ["juridisch_advies"],
    }
    body.update(overrides)
    return body


def test_melder_and_handler_write_and_every_version_is_kept(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    org = unique_org()
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    handler = devidp.headers(unique_sub("handler"), ["behandelaar"], org)
    mid = report(client, melder)
    url = f"{BASE}/meldingen/{mid}/aangifte"
    assert client.get(url, headers=melder).status_code == 404

    first = client.put(url, json=_aangifte(), headers=melder)
    assert first.status_code == 201, first.text
    assert first.headers["location"].endswith(f"/meldingen/{mid}/aangifte")
    second = client.put(
        url,
        json=_aangifte(status="bij_om", ondersteuning=["spreekrecht", "schadevergoeding"]),
        headers=handler,
    )
    assert second.status_code == 200, second.text
    body = client.get(url, headers=melder).json()
    assert body["status"] == "bij_om"
    assert body["ondersteuning"] == ["spreekrecht", "schadevergoeding"]
    assert body["politieRegistratienummer"] == "PL0900-2026112100123"
    assert body["datumAangifte"] == "2026-11-21"
    assert [(v["status"], v["rol"]) for v in body["historie"]] == [
        ("bij_om", "behandelaar"),
        ("gedaan", "melder"),
    ]
    assert all(set(v) >= {"tijdstip", "rol"} for v in body["historie"])
    assert all("door" not in v for v in body["historie"])

    log = client.get(f"{BASE}/meldingen/{mid}/inzages", headers=melder).json()["results"]
    assert [e["actie"] for e in log] == ["aangifte_gewijzigd"]


def test_reach_rules(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    org = unique_org()
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    mid = report(client, melder)
    url = f"{BASE}/meldingen/{mid}/aangifte"
    other_org_handler = devidp.headers(unique_sub("h"), ["behandelaar"], unique_org())
    other_melder = devidp.headers(unique_sub("m"), ["melder"], org)
    analist = devidp.headers(unique_sub("a"), ["analist"], org)
    beheerder = devidp.headers(unique_sub("b"), ["beheerder"], org)
    assert client.put(url, json=_aangifte(), headers=analist).status_code == 403
    assert client.put(url, json=_aangifte(), headers=beheerder).status_code == 403
    assert client.put(url, json=_aangifte(), headers=other_org_handler).status_code == 404
    assert client.put(url, json=_aangifte(), headers=other_melder).status_code == 404
    # Role before reach before fields: an invalid body outside reach is still 404.
    assert client.put(url, json={"status": "x"}, headers=other_org_handler).status_code == 404
    assert client.get(url, headers=analist).status_code == 403
    missing = f"{BASE}/meldingen/{uuid.uuid4()}/aangifte"
    assert client.put(missing, json=_aangifte(), headers=melder).status_code == 404


def test_confidential_report_is_written_by_national_team_only(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    org = unique_org()
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    own_handler = devidp.headers(unique_sub("h"), ["behandelaar"], org)
    owb = devidp.headers(unique_sub("owb"), ["behandelaar"], "OWB")
    mid = report(client, melder, vertrouwelijk=True)
    url = f"{BASE}/meldingen/{mid}/aangifte"
    assert client.put(url, json=_aangifte(), headers=own_handler).status_code == 404
    assert client.put(url, json=_aangifte(), headers=owb).status_code == 201


def test_handler_who_reported_acts_as_melder(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    org = unique_org()
    both = devidp.headers(unique_sub("beide"), ["melder", "behandelaar"], org)
    mid = report(client, both)
    url = f"{BASE}/meldingen/{mid}/aangifte"
    assert client.put(url, json=_aangifte(), headers=both).status_code == 201
    assert client.get(url, headers=both).json()["historie"][0]["rol"] == "melder"
    # Their own actions are not in the access log.
    assert client.get(f"{BASE}/meldingen/{mid}/inzages", headers=both).json()["count"] == 0


def test_fields_are_validated_all_at_once(
    client: TestClient, devidp: DevIdp, unique_sub: Callable[[str], str]
) -> None:
    melder = devidp.headers(unique_sub("melder"), ["melder"])
    mid = report(client, melder)
    url = f"{BASE}/meldingen/{mid}/aangifte"
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    response = client.put(
        url,
        json={
            "datumAangifte": tomorrow,
            "status": "vergeten",
            "ondersteuning": ["spreekrecht", "spreekrecht"],
            "politieRegistratienummer": "x" * 51,
            "geheim": True,
        },
        headers=melder,
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    codes = {p["name"]: p["code"] for p in response.json()["invalidParams"]}
    assert codes == {
        "datumAangifte": "future_date",
        "status": "enum",
        "ondersteuning": "unique",
        "politieRegistratienummer": "max_length",
        "geheim": "unknown_field",
    }
    wrong = client.put(url, json=_aangifte(datumAangifte="2026-11-21T10:00:00Z"), headers=melder)
    assert wrong.status_code == 400
    assert (
        client.put(
            url, json=_aangifte(ondersteuning="juridisch_advies"), headers=melder
        ).status_code
        == 400
    )
    assert (
        client.put(url, json={"status": "gedaan"}, headers=melder).json()["invalidParams"][0][
            "name"
        ]
        == "datumAangifte"
    )


def test_registration_number_is_encrypted_at_rest(
    client: TestClient, backend: Backend, devidp: DevIdp, unique_sub: Callable[[str], str]
) -> None:
    melder = devidp.headers(unique_sub("melder"), ["melder"])
    mid = report(client, melder)
    nummer = f"PL-{uuid.uuid4().hex}"
    url = f"{BASE}/meldingen/{mid}/aangifte"
    assert (
        client.put(url, json=_aangifte(politieRegistratienummer=nummer), headers=melder).status_code
        == 201
    )
    key = uuid.UUID(mid) if backend.is_postgres else uuid.UUID(mid).hex
    for table in ("aangifte", "aangifte_wijziging"):
        [row] = query(
            backend,
            f"SELECT politie_registratienummer_versleuteld AS v FROM meldingen.{table}"
            " WHERE melding_id = :m",
            m=key,
        )
        assert nummer not in row["v"]
        assert row["v"].startswith("v1.test-2.")
    # Without a number, nothing is stored for it.
    client.put(url, json=_aangifte(politieRegistratienummer=None), headers=melder)
    assert client.get(url, headers=melder).json()["politieRegistratienummer"] is None
