"""The list of meldingen: every filter, every sort order, and stable pages with absolute links.

Each test works in an organisation of its own and reads as its handler, so the counts are
exact even though the whole session shares one database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import melding_body

BASE = "/api/meldingen/v1"
MELDINGEN = f"{BASE}/meldingen"


class Organisation:
    def __init__(
        self, client: TestClient, devidp: DevIdp, org: str, unique_sub: Callable[[str], str]
    ) -> None:
        self.client = client
        self.melder = devidp.headers(unique_sub("melder"), ["melder"], org)
        self.handler_sub = unique_sub("behandelaar")
        self.handler = devidp.headers(self.handler_sub, ["behandelaar"], org)

    def report(self, **fields: Any) -> dict[str, Any]:
        response = self.client.post(MELDINGEN, json=melding_body(**fields), headers=self.melder)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def page(self, **params: Any) -> dict[str, Any]:
        response = self.client.get(MELDINGEN, params=params, headers=self.handler)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def kenmerken(self, **params: Any) -> list[str]:
        return [m["kenmerk"] for m in self.page(pageSize=100, **params)["results"]]

    def move(self, melding: dict[str, Any], status: str) -> None:
        response = self.client.post(
            f"{MELDINGEN}/{melding['id']}/statuswijzigingen",
            json={"status": status},
            headers=self.handler,
        )
        assert response.status_code == 201, response.text


@pytest.fixture
def org(
    client: TestClient,
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> Organisation:
    return Organisation(client, devidp, unique_org(), unique_sub)


def test_default_order_is_newest_first(org: Organisation) -> None:
    made = [org.report()["kenmerk"] for _ in range(3)]
    assert org.kenmerken() == list(reversed(made))
    assert org.kenmerken(sortering="-aangemaaktOp") == list(reversed(made))


def test_sortering_aangemaakt_op_is_oldest_first(org: Organisation) -> None:
    made = [org.report()["kenmerk"] for _ in range(3)]
    assert org.kenmerken(sortering="aangemaaktOp") == made


def test_sortering_prioriteit_puts_spoed_before_hoog_before_normaal(org: Organisation) -> None:
    normaal_oud = org.report()
    spoed = org.report(acuutGevaar=True)
    hoog = org.report()
    patched = org.client.patch(
        f"{MELDINGEN}/{hoog['id']}", json={"prioriteit": "hoog"}, headers=org.handler
    )
    assert patched.status_code == 200
    normaal_nieuw = org.report()
    assert org.kenmerken(sortering="prioriteit") == [
        spoed["kenmerk"],
        hoog["kenmerk"],
        normaal_nieuw["kenmerk"],  # within a priority: newest first
        normaal_oud["kenmerk"],
    ]


def test_filter_on_status(org: Organisation) -> None:
    ontvangen = org.report()
    in_behandeling = org.report()
    afgehandeld = org.report()
    org.move(in_behandeling, "in_behandeling")
    org.move(afgehandeld, "afgehandeld")
    assert org.kenmerken(status="ontvangen") == [ontvangen["kenmerk"]]
    assert org.kenmerken(status="in_behandeling") == [in_behandeling["kenmerk"]]
    assert org.kenmerken(status="afgehandeld") == [afgehandeld["kenmerk"]]
    assert org.kenmerken(status="ingetrokken") == []


def test_filter_on_gedragstype(org: Organisation) -> None:
    verward = org.report(gedragstype="verward_gedrag")
    org.report(gedragstype="frustratie_agressie")
    instrumenteel = org.report(gedragstype="instrumentele_agressie")
    assert org.kenmerken(gedragstype="verward_gedrag") == [verward["kenmerk"]]
    assert org.kenmerken(gedragstype="instrumentele_agressie") == [instrumenteel["kenmerk"]]


def test_filter_on_prioriteit(org: Organisation) -> None:
    spoed = org.report(acuutGevaar=True)
    normaal = org.report()
    assert org.kenmerken(prioriteit="spoed") == [spoed["kenmerk"]]
    assert org.kenmerken(prioriteit="normaal") == [normaal["kenmerk"]]
    assert org.kenmerken(prioriteit="hoog") == []


def test_filter_on_kenmerk(org: Organisation) -> None:
    org.report()
    wanted = org.report()
    org.report()
    page = org.page(kenmerk=wanted["kenmerk"])
    assert page["count"] == 1
    assert page["results"][0]["id"] == wanted["id"]


def test_filter_behandelaar_me_and_by_subject(org: Organisation) -> None:
    mine = org.report()
    theirs = org.report()
    org.report()
    for melding, subject in ((mine, org.handler_sub), (theirs, "behandelaar-collega")):
        response = org.client.post(
            f"{MELDINGEN}/{melding['id']}/toewijzing",
            json={"behandelaar": subject},
            headers=org.handler,
        )
        assert response.status_code == 200
    assert org.kenmerken(behandelaar="me") == [mine["kenmerk"]]
    assert org.kenmerken(behandelaar=org.handler_sub) == [mine["kenmerk"]]
    assert org.kenmerken(behandelaar="behandelaar-collega") == [theirs["kenmerk"]]


def test_filter_van_is_inclusive_and_tot_exclusive(org: Organisation) -> None:
    first, second, third = (org.report() for _ in range(3))
    moment = second["aangemaaktOp"]
    assert org.kenmerken(van=moment, sortering="aangemaaktOp") == [
        second["kenmerk"],
        third["kenmerk"],
    ]
    assert org.kenmerken(tot=moment) == [first["kenmerk"]]
    assert org.kenmerken(van=moment, tot=third["aangemaaktOp"]) == [second["kenmerk"]]


def test_filters_combine(org: Organisation) -> None:
    target = org.report(gedragstype="verward_gedrag", acuutGevaar=True)
    org.report(gedragstype="verward_gedrag")
    org.report(acuutGevaar=True)
    assert org.kenmerken(gedragstype="verward_gedrag", prioriteit="spoed") == [target["kenmerk"]]


def test_pages_are_stable_and_count_is_the_total(org: Organisation) -> None:
    made = [org.report()["kenmerk"] for _ in range(5)]
    pages = [org.page(page=n, pageSize=2) for n in (1, 2, 3)]
    assert [p["count"] for p in pages] == [5, 5, 5]
    seen = [m["kenmerk"] for p in pages for m in p["results"]]
    assert seen == list(reversed(made)), "every melding once, in order"
    assert [len(p["results"]) for p in pages] == [2, 2, 1]
    assert pages[0]["previous"] is None
    assert pages[2]["next"] is None
    assert org.page(page=4, pageSize=2)["results"] == []


def test_next_and_previous_links_are_absolute_and_keep_the_filters(org: Organisation) -> None:
    for _ in range(3):
        org.report(gedragstype="verward_gedrag")
    first = org.page(pageSize=1, gedragstype="verward_gedrag", sortering="aangemaaktOp")
    link = urlsplit(first["next"])
    assert (link.scheme, link.netloc, link.path) == ("http", "testserver", MELDINGEN)
    query = parse_qs(link.query)
    assert query == {
        "page": ["2"],
        "pageSize": ["1"],
        "gedragstype": ["verward_gedrag"],
        "sortering": ["aangemaaktOp"],
    }
    second = org.client.get(first["next"], headers=org.handler).json()
    assert second["results"][0]["id"] != first["results"][0]["id"]
    back = org.client.get(second["previous"], headers=org.handler).json()
    assert back["results"] == first["results"]


def test_following_next_visits_every_melding_once(org: Organisation) -> None:
    made = {org.report()["id"] for _ in range(5)}
    seen: list[str] = []
    url: str | None = f"http://testserver{MELDINGEN}?pageSize=2"
    while url is not None:
        page = org.client.get(url, headers=org.handler).json()
        seen.extend(m["id"] for m in page["results"])
        url = page["next"]
        assert len(seen) <= 5, "next must end"
    assert sorted(seen) == sorted(made)


def test_links_point_at_the_gateway_when_forwarded(
    backend: Backend,
    service_client: Callable[..., TestClient],
    devidp: DevIdp,
    unique_org: Callable[[], str],
    unique_sub: Callable[[str], str],
) -> None:
    # Forwarded headers count only from a trusted proxy; TestClient's peer is not an address.
    trusted = service_client(
        backend, "meldingen", create_app, MeldingenSettings, forwarded_allow_ips="*"
    )
    org = Organisation(trusted, devidp, unique_org(), unique_sub)
    gateway = {"X-Forwarded-Host": "api.weerbaarbestuur.nl", "X-Forwarded-Proto": "https"}
    created = org.client.post(MELDINGEN, json=melding_body(), headers={**org.melder, **gateway})
    assert created.headers["location"] == (
        f"https://api.weerbaarbestuur.nl{MELDINGEN}/{created.json()['id']}"
    )
    org.report()
    page = org.client.get(MELDINGEN, params={"pageSize": 1}, headers={**org.handler, **gateway})
    assert page.json()["next"].startswith(f"https://api.weerbaarbestuur.nl{MELDINGEN}?")


def test_empty_list_has_no_links(org: Organisation) -> None:
    assert org.page() == {"count": 0, "next": None, "previous": None, "results": []}
