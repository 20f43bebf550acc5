"""Statistics: perturbed counts, small groups left out, whole months, refused grouping, reach
in figures, CSV. The counts are noisy (cell-key method), so each test says the true counts and
checks what the contract promises: within 2 of the truth, never below `drempel`, a group too
small not listed at all."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient

from services.common.migrations import alembic_config
from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import melding_body
from tests.meldingen.db import fresh_target, query

BASE = "/api/meldingen/v1"
STAT = f"{BASE}/statistieken"


def _report(client: TestClient, headers: dict[str, str], n: int, **fields: Any) -> None:
    for _ in range(n):
        response = client.post(f"{BASE}/meldingen", json=melding_body(**fields), headers=headers)
        assert response.status_code == 201, response.text


def assert_near(
    body: dict[str, Any], keys: tuple[str, ...], truth: dict[tuple[str, ...], int]
) -> None:
    """Listed groups are true groups of at least `drempel`, published within 2 of the truth;
    a group of `drempel` + 2 or more is always listed, one below `drempel` never."""
    drempel = body["drempel"]
    assert body["methode"] == "celsleutel"
    listed = {tuple(g[k] for k in keys): g for g in body["groepen"]}
    for key, groep in listed.items():
        assert set(groep) == {*keys, "aantal", "onderdrukt"}
        assert groep["onderdrukt"] is False
        assert truth.get(key, 0) >= drempel, key
        assert abs(groep["aantal"] - truth[key]) <= 2, groep
        assert groep["aantal"] >= drempel, groep
    for key, n in truth.items():
        if n >= drempel + 2:
            assert key in listed, key
    assert list(listed) == sorted(listed), "groups in order"


@pytest.fixture
def org_met_cijfers(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> str:
    """An organisation with 8 verward_gedrag in 2025-03, 4 frustratie in 2025-03, 7 in 2025-04."""
    org = unique_org()
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    _report(
        client,
        melder,
        8,
        gedragstype="verward_gedrag",
        datumVoorval="2025-03-10T10:00:00+01:00",
        vormen=["verbaal"],
    )
    _report(
        client,
        melder,
        2,
        gedragstype="frustratie_agressie",
        datumVoorval="2025-03-11T10:00:00+01:00",
        vormen=["verbaal", "online"],
    )
    # 23:30 on 31 March in Amsterdam is still March, although 21:30 UTC; and a report at
    # 23:30 UTC on 31 March is April in Amsterdam.
    _report(
        client,
        melder,
        2,
        gedragstype="frustratie_agressie",
        datumVoorval="2025-03-31T23:30:00+02:00",
        vormen=["online"],
    )
    _report(
        client,
        melder,
        7,
        gedragstype="frustratie_agressie",
        datumVoorval="2025-03-31T23:30:00Z",
        vormen=["online"],
    )
    return org


def _analist(devidp: DevIdp, unique_sub: Callable[[str], str]) -> dict[str, str]:
    return devidp.headers(unique_sub("analist"), ["analist"], "GM0363")


def test_small_groups_are_left_out_and_no_totals(
    client: TestClient, devidp: DevIdp, org_met_cijfers: str, unique_sub: Callable[[str], str]
) -> None:
    response = client.get(
        STAT,
        params={"groepeerOp": ["gedragstype", "maand"], "organisatie": org_met_cijfers},
        headers=_analist(devidp, unique_sub),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"drempel", "methode", "groepen"}
    assert body["drempel"] == 5
    truth = {
        ("frustratie_agressie", "2025-03"): 4,
        ("frustratie_agressie", "2025-04"): 7,
        ("verward_gedrag", "2025-03"): 8,
    }
    assert_near(body, ("gedragstype", "maand"), truth)
    assert ("frustratie_agressie", "2025-03") not in {
        (g["gedragstype"], g["maand"]) for g in body["groepen"]
    }


def test_whole_months_inclusive(
    client: TestClient, devidp: DevIdp, org_met_cijfers: str, unique_sub: Callable[[str], str]
) -> None:
    analist = _analist(devidp, unique_sub)
    params: dict[str, Any] = {"groepeerOp": "maand", "organisatie": org_met_cijfers}
    march = client.get(STAT, params={**params, "van": "2025-03", "tot": "2025-03"}, headers=analist)
    assert_near(march.json(), ("maand",), {("2025-03",): 12})
    april = client.get(STAT, params={**params, "van": "2025-04"}, headers=analist)
    assert_near(april.json(), ("maand",), {("2025-04",): 7})
    none = client.get(STAT, params={**params, "tot": "2025-02"}, headers=analist)
    assert none.json()["groepen"] == []
    for bad in ({"van": "2025-3"}, {"van": "2025-03-01"}, {"tot": "2025-13"}):
        refused = client.get(STAT, params={**params, **bad}, headers=analist)
        assert refused.status_code == 400
        assert refused.json()["invalidParams"][0]["code"] == "pattern"
    reversed_range = client.get(
        STAT, params={**params, "van": "2025-04", "tot": "2025-03"}, headers=analist
    )
    assert reversed_range.status_code == 400
    assert reversed_range.json()["invalidParams"][0] == {
        "name": "tot",
        "code": "range",
        "reason": "tot ligt vóór van.",
    }


def test_organisation_with_function_is_refused(
    client: TestClient, devidp: DevIdp, unique_sub: Callable[[str], str]
) -> None:
    analist = _analist(devidp, unique_sub)
    response = client.get(STAT, params={"groepeerOp": ["organisatie", "functie"]}, headers=analist)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["invalidParams"][0]["code"] == "combination_refused"
    assert client.get(STAT, params={"groepeerOp": "leeftijd"}, headers=analist).status_code == 400
    assert client.get(STAT, headers=analist).status_code == 400


def test_grouping_by_form_counts_each_form_named(
    client: TestClient, devidp: DevIdp, org_met_cijfers: str, unique_sub: Callable[[str], str]
) -> None:
    response = client.get(
        STAT,
        params={"groepeerOp": "vorm", "organisatie": org_met_cijfers},
        headers=_analist(devidp, unique_sub),
    )
    assert_near(response.json(), ("vorm",), {("online",): 11, ("verbaal",): 10})


def test_behandelaar_sees_only_meldingen_in_reach(
    client: TestClient,
    devidp: DevIdp,
    org_met_cijfers: str,
    unique_sub: Callable[[str], str],
) -> None:
    org = org_met_cijfers
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    # Confidential reports are outside the own organisation's reach, also in figures.
    _report(client, melder, 8, gedragstype="instrumentele_agressie", vertrouwelijk=True)
    handler = devidp.headers(unique_sub("h"), ["behandelaar"], org)
    mine = client.get(STAT, params={"groepeerOp": "gedragstype"}, headers=handler)
    assert mine.status_code == 200, mine.text
    own_truth = {("frustratie_agressie",): 11, ("verward_gedrag",): 8}
    assert_near(mine.json(), ("gedragstype",), own_truth)
    own = client.get(
        STAT, params={"groepeerOp": "gedragstype", "organisatie": org}, headers=handler
    )
    assert own.json() == mine.json()
    other = client.get(
        STAT, params={"groepeerOp": "gedragstype", "organisatie": "GM9999"}, headers=handler
    )
    assert other.status_code == 403
    # The national team sees the confidential ones (and the same value as the analyst).
    owb = devidp.headers(unique_sub("owb"), ["behandelaar"], "OWB")
    national = client.get(STAT, params={"groepeerOp": ["organisatie", "gedragstype"]}, headers=owb)
    [instrumenteel] = [
        g
        for g in national.json()["groepen"]
        if g["organisatie"] == org and g["gedragstype"] == "instrumentele_agressie"
    ]
    assert abs(instrumenteel["aantal"] - 8) <= 2
    # An analyst sees all of them.
    analist = _analist(devidp, unique_sub)
    everything = client.get(
        STAT, params={"groepeerOp": "gedragstype", "organisatie": org}, headers=analist
    ).json()
    assert_near(everything, ("gedragstype",), {**own_truth, ("instrumentele_agressie",): 8})
    [same] = [g for g in everything["groepen"] if g["gedragstype"] == "instrumentele_agressie"]
    assert same["aantal"] == instrumenteel["aantal"]


@pytest.mark.parametrize(
    "roles", [["melder"], ["beheerder"], ["redacteur"], ["beveiligingsadviseur"]]
)
def test_other_roles_are_refused(
    client: TestClient, devidp: DevIdp, unique_sub: Callable[[str], str], roles: list[str]
) -> None:
    headers = devidp.headers(unique_sub("x"), roles, "GM0363")
    # 403 before any field validation.
    assert client.get(STAT, params={"groepeerOp": "leeftijd"}, headers=headers).status_code == 403
    assert client.get(STAT, params={"groepeerOp": "maand"}, headers=headers).status_code == 403


def test_csv_gives_the_same_groups(
    client: TestClient, devidp: DevIdp, org_met_cijfers: str, unique_sub: Callable[[str], str]
) -> None:
    params = {"groepeerOp": ["maand", "gedragstype"], "organisatie": org_met_cijfers}
    analist = _analist(devidp, unique_sub)
    as_json = client.get(STAT, params=params, headers=analist).json()
    response = client.get(STAT, params=params, headers={**analist, "Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["maand", "gedragstype", "aantal", "onderdrukt", "methode"]
    assert [
        {
            "maand": g["maand"],
            "gedragstype": g["gedragstype"],
            "aantal": str(g["aantal"]),
            "onderdrukt": "false",
            "methode": "celsleutel",
        }
        for g in as_json["groepen"]
    ] == rows
    assert len(rows) == 2


def test_threshold_is_configurable_never_below_three(
    backend: Backend,
    service_client: Callable[..., TestClient],
    devidp: DevIdp,
    org_met_cijfers: str,
    unique_sub: Callable[[str], str],
) -> None:
    from pydantic import ValidationError

    from services.meldingen.app import create_app
    from services.meldingen.config import MeldingenSettings

    with pytest.raises(ValidationError):
        MeldingenSettings(statistiek_drempel=2)
    strict = service_client(
        backend, "meldingen", create_app, MeldingenSettings, statistiek_drempel=7
    )
    body = strict.get(
        STAT,
        params={"groepeerOp": "gedragstype", "organisatie": org_met_cijfers},
        headers=_analist(devidp, unique_sub),
    ).json()
    assert body["drempel"] == 7
    assert_near(body, ("gedragstype",), {("frustratie_agressie",): 11, ("verward_gedrag",): 8})


def test_migration_backfills_forms_and_months(
    request: pytest.FixtureRequest, backend: Backend
) -> None:
    admin = request.getfixturevalue("postgres_admin_url") if backend.is_postgres else None
    with fresh_target(backend, admin) as target:
        config = alembic_config("meldingen", target)
        command.upgrade(config, "0004")
        melding_id = uuid.uuid4()
        key = melding_id if backend.is_postgres else melding_id.hex
        query(
            target,
            "INSERT INTO meldingen.melding (id, kenmerk, gedragstype, vormen, datum_voorval,"
            " functie, organisatie, vertrouwelijk, acuut_gevaar, status, prioriteit, owb_bereik,"
            " advies, aangemaakt_op, gewijzigd_op, versie) VALUES (:id, 'MLD-2025-000001',"
            " 'verward_gedrag', :vormen, :voorval, 'raadslid', 'GM0001', false, false,"
            " 'ontvangen', 'normaal', false, '[]', :nu, :nu, 1)",
            id=key,
            vormen='["online", "doxing"]',
            voorval="2025-03-31 22:30:00"
            if not backend.is_postgres
            else _aware("2025-03-31T22:30:00Z"),
            nu="2025-04-01 00:00:00" if not backend.is_postgres else _aware("2025-04-01T00:00:00Z"),
        )
        command.upgrade(config, "head")
        [row] = query(target, "SELECT maand_voorval FROM meldingen.melding")
        assert row["maand_voorval"] == "2025-04"  # 00:30 on 1 April in Amsterdam
        vormen = query(target, "SELECT vorm FROM meldingen.melding_vorm ORDER BY vorm")
        assert [v["vorm"] for v in vormen] == ["doxing", "online"]
        command.downgrade(config, "0004")
        command.upgrade(config, "head")
        command.check(config)


def _aware(value: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(value)
