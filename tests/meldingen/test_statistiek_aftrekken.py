"""Subtraction attacks on the statistics, tried as an analyst would (issue 15, DESIGN.md D).

Suppression alone leaks: each attack below recovers a hidden small count exactly, every time.
With cell-key perturbation the difference of two published figures carries the noise of both,
so over several independent municipalities the attacker cannot be right every time. (With
independent noise the chance of being right in all of them is below one in a million.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import DevIdp
from tests.meldingen.conftest import BASE, melding_body

STAT = f"{BASE}/statistieken"
GEMEENTEN = 12


def _report(client: TestClient, headers: dict[str, str], n: int, **fields: Any) -> None:
    for _ in range(n):
        response = client.post(f"{BASE}/meldingen", json=melding_body(**fields), headers=headers)
        assert response.status_code == 201, response.text


def _aantal(response: Any, **groep: str) -> int | None:
    """The published count of the group with these values, or None when it is not listed."""
    assert response.status_code == 200, response.text
    for g in response.json()["groepen"]:
        if all(g.get(k) == v for k, v in groep.items()):
            assert isinstance(g["aantal"], int), g
            return int(g["aantal"])
    return None


@pytest.fixture
def analist(devidp: DevIdp, unique_sub: Callable[[str], str]) -> dict[str, str]:
    return devidp.headers(unique_sub("analist"), ["analist"], "GM0363")


def _melder(devidp: DevIdp, unique_sub: Callable[[str], str], org: str) -> dict[str, str]:
    return devidp.headers(unique_sub("melder"), ["melder"], org)


def test_two_windows_do_not_give_the_single_report_of_the_second_month(
    client: TestClient,
    devidp: DevIdp,
    analist: dict[str, str],
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    recovered = 0
    for _ in range(GEMEENTEN):
        org = unique_org()
        melder = _melder(devidp, unique_sub, org)
        _report(client, melder, 6, datumVoorval="2001-01-10T10:00:00+01:00")
        _report(client, melder, 1, datumVoorval="2001-02-10T10:00:00+01:00")
        params = {"groepeerOp": "gedragstype", "organisatie": org, "van": "2001-01"}
        both = _aantal(client.get(STAT, params={**params, "tot": "2001-02"}, headers=analist))
        first = _aantal(client.get(STAT, params={**params, "tot": "2001-01"}, headers=analist))
        if both is not None and first is not None and both - first == 1:
            recovered += 1
    assert recovered < GEMEENTEN


def test_national_figure_minus_municipalities_does_not_give_the_small_one(
    client: TestClient,
    devidp: DevIdp,
    analist: dict[str, str],
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    recovered = 0
    for trial in range(GEMEENTEN):
        maand = f"2002-{trial + 1:02d}"
        voorval = f"{maand}-10T10:00:00+01:00"
        groot = [unique_org(), unique_org()]
        klein = unique_org()
        for org in groot:
            _report(client, _melder(devidp, unique_sub, org), 6, datumVoorval=voorval)
        _report(client, _melder(devidp, unique_sub, klein), 1, datumVoorval=voorval)
        window = {"groepeerOp": "maand", "van": maand, "tot": maand}
        national = _aantal(client.get(STAT, params=window, headers=analist))
        parts = [
            _aantal(client.get(STAT, params={**window, "organisatie": org}, headers=analist))
            for org in groot
        ]
        known = [p for p in parts if p is not None]
        if national is not None and len(known) == len(parts) and national - sum(known) == 1:
            recovered += 1
    assert recovered < GEMEENTEN


def test_two_groupings_do_not_give_the_single_acute_report(
    client: TestClient,
    devidp: DevIdp,
    analist: dict[str, str],
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    recovered = 0
    for _ in range(GEMEENTEN):
        org = unique_org()
        melder = _melder(devidp, unique_sub, org)
        voorval = "2003-01-10T10:00:00+01:00"
        _report(client, melder, 6, datumVoorval=voorval)
        _report(client, melder, 1, datumVoorval=voorval, acuutGevaar=True)
        params: dict[str, Any] = {"organisatie": org, "van": "2003-01", "tot": "2003-01"}
        alles = _aantal(
            client.get(STAT, params={**params, "groepeerOp": "gedragstype"}, headers=analist)
        )
        normaal = _aantal(
            client.get(
                STAT,
                params={**params, "groepeerOp": ["gedragstype", "prioriteit"]},
                headers=analist,
            ),
            prioriteit="normaal",
        )
        if alles is not None and normaal is not None and alles - normaal == 1:
            recovered += 1
    assert recovered < GEMEENTEN


def test_small_groups_are_not_listed_at_all(
    client: TestClient,
    devidp: DevIdp,
    analist: dict[str, str],
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    """The mayor's one confidential-looking report leaves no trace: no row, no `onderdrukt`."""
    org = unique_org()
    melder = _melder(devidp, unique_sub, org)
    voorval = "2004-05-10T10:00:00+02:00"
    _report(client, melder, 8, datumVoorval=voorval, functie="raadslid", vormen=["verbaal"])
    _report(
        client,
        melder,
        1,
        datumVoorval=voorval,
        functie="burgemeester",
        gedragstype="instrumentele_agressie",
        vormen=["doxing"],
        acuutGevaar=True,
    )
    handler = devidp.headers(unique_sub("h"), ["behandelaar"], org)
    by_function = client.get(STAT, params={"groepeerOp": "functie"}, headers=handler)
    assert by_function.status_code == 200, by_function.text
    assert [g["functie"] for g in by_function.json()["groepen"]] == ["raadslid"]
    for grouping in ("gedragstype", "prioriteit", "vorm"):
        response = client.get(
            STAT, params={"groepeerOp": grouping, "organisatie": org}, headers=analist
        )
        assert response.status_code == 200, response.text
        groepen = response.json()["groepen"]
        assert [g[grouping] for g in groepen] == [
            {"gedragstype": "frustratie_agressie", "prioriteit": "normaal", "vorm": "verbaal"}[
                grouping
            ]
        ]
        assert all(g["onderdrukt"] is False and g["aantal"] >= 5 for g in groepen)


def test_organisation_filter_with_function_is_refused_for_an_analyst(
    client: TestClient, analist: dict[str, str], unique_org: Callable[[], str]
) -> None:
    response = client.get(
        STAT, params={"organisatie": unique_org(), "groepeerOp": "functie"}, headers=analist
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["invalidParams"][0]["code"] == "combination_refused"
    both = client.get(STAT, params={"groepeerOp": ["organisatie", "functie"]}, headers=analist)
    assert both.status_code == 400
    assert both.json()["invalidParams"][0]["code"] == "combination_refused"
