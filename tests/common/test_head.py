"""HEAD on every GET route of every service: GET's status and headers, no body, GET's reach.

Against each service's real app and database (SQLite and PostgreSQL). The routes come from
each service's own OpenAPI document, so a new GET route is covered without an edit here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest
from fastapi.testclient import TestClient

from services.beveiliging.app import create_app as beveiliging_app
from services.beveiliging.config import BeveiligingSettings
from services.kennisbank.app import create_app as kennisbank_app
from services.kennisbank.config import KennisbankSettings
from services.meldingen.app import create_app as meldingen_app
from services.meldingen.config import MeldingenSettings
from services.notificaties.app import create_app as notificaties_app
from services.notificaties.config import NotificatiesSettings
from tests.conftest import Backend, DevIdp
from tests.kennisbank.conftest import artikel_body
from tests.meldingen.conftest import Scene
from tests.security import meldingen_scene
from tests.support.head import assert_head_is_get

ALL_ROLES = ["melder", "behandelaar", "beveiligingsadviseur", "redacteur", "analist", "beheerder"]
# Differ between any two answers, GET or not.


@dataclass(frozen=True)
class Service:
    name: str
    create_app: Callable[..., object]
    settings: type

    @property
    def base(self) -> str:
        return f"/api/{self.name}/v1"


SERVICES = [
    Service("meldingen", meldingen_app, MeldingenSettings),
    Service("beveiliging", beveiliging_app, BeveiligingSettings),
    Service("kennisbank", kennisbank_app, KennisbankSettings),
    Service("notificaties", notificaties_app, NotificatiesSettings),
]


@pytest.fixture(params=SERVICES, ids=[s.name for s in SERVICES])
def any_service(
    request: pytest.FixtureRequest, backend: Backend, service_client: Callable[..., TestClient]
) -> tuple[Service, TestClient]:
    service: Service = request.param
    overrides = {"worker": False} if service.name == "notificaties" else {}
    return service, service_client(
        backend, service.name, service.create_app, service.settings, **overrides
    )


@pytest.fixture
def meldingen_client(backend: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    return meldingen_scene.meldingen_client(backend, service_client)


@pytest.fixture
def scene(
    meldingen_client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> Scene:
    return meldingen_scene.new_scene(meldingen_client, devidp, unique_sub, unique_org)


def test_every_get_route_without_parameters_answers_head(
    any_service: tuple[Service, TestClient], devidp: DevIdp, unique_org: Callable[[], str]
) -> None:
    service, client = any_service
    document = client.get(f"{service.base}/openapi.json").json()
    paths = [
        service.base + path
        for path, item in document["paths"].items()
        if "get" in item and "{" not in path
    ]
    assert paths, "every service documents GET routes"
    everyone = devidp.headers(f"head-{service.name}", ALL_ROLES, unique_org())
    for path in [*paths, f"{service.base}/openapi.json", "/health/live", "/health/ready"]:
        assert_head_is_get(client, path, everyone)
    # Without a token, what GET refuses HEAD refuses the same way (401 and its challenge).
    for path in paths:
        answer = assert_head_is_get(client, path)
        if answer.status_code == 401:
            assert answer.headers["www-authenticate"].startswith("Bearer")


def test_head_of_a_melding_has_its_etag_and_its_reach(
    meldingen_client: TestClient,
    scene: Scene,
    devidp: DevIdp,
    unique_org: Callable[[], str],
) -> None:
    def status(suffix: str, headers: dict[str, str] | None) -> int:
        return assert_head_is_get(meldingen_client, scene.url(suffix), headers).status_code

    detail = assert_head_is_get(meldingen_client, scene.url(), scene.handler)
    assert detail.status_code == 200
    assert detail.headers["etag"]
    for suffix in ("/notities", "/inzages", "/nazorgmomenten", "/bijlagen"):
        assert status(suffix, scene.melder) == 200
    # Outside reach: 404 as for GET, so HEAD cannot probe ids either.
    stranger = devidp.headers("head-stranger", ["behandelaar"], unique_org())
    assert status("", stranger) == 404
    assert status("", None) == 401
    assert status("/niets", scene.melder) == 404


def test_a_head_read_is_in_the_access_log_like_the_get(
    meldingen_client: TestClient,
    scene: Scene,
) -> None:
    """HEAD reads the same melding (its ETag tells a change): logged as `bekeken` too."""

    def views() -> int:
        log = meldingen_client.get(scene.url("/inzages"), headers=scene.melder).json()
        entries = log["results"] if isinstance(log, dict) else log
        return sum(1 for entry in entries if entry["actie"] == "bekeken")

    before = views()
    assert meldingen_client.head(scene.url(), headers=scene.handler).status_code == 200
    assert views() == before + 1


def test_the_access_line_of_a_head_names_head_and_the_route(
    meldingen_client: TestClient,
    scene: Scene,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="weerbaar.access"):
        meldingen_client.head(scene.url(), headers=scene.handler)
    lines = [r for r in caplog.records if r.name == "weerbaar.access"]
    assert [(r.method, r.route, r.status) for r in lines] == [  # type: ignore[attr-defined]
        ("HEAD", "/api/meldingen/v1/meldingen/{id}", 200)
    ]


def test_public_articles_answer_head_without_a_token_and_drafts_stay_hidden(
    backend: Backend, service_client: Callable[..., TestClient], devidp: DevIdp
) -> None:
    client = service_client(backend, "kennisbank", kennisbank_app, KennisbankSettings)
    redacteur = devidp.headers("head-redacteur", ["redacteur"], "OWB")
    created = client.post("/api/kennisbank/v1/artikelen", json=artikel_body(), headers=redacteur)
    assert created.status_code == 201, created.text
    slug = created.json()["slug"]
    url = f"/api/kennisbank/v1/artikelen/{slug}"
    assert assert_head_is_get(client, url).status_code == 404  # a concept: not for the public
    assert assert_head_is_get(client, url, redacteur).status_code == 200
    published = client.post(
        f"{url}/statuswijzigingen", json={"status": "gepubliceerd"}, headers=redacteur
    )
    assert published.status_code == 201, published.text
    public = assert_head_is_get(client, url)
    assert public.status_code == 200
    assert public.headers["etag"]
    assert assert_head_is_get(client, "/api/kennisbank/v1/zoeken?q=dreigbrief").status_code == 200
    bad_token = {"Authorization": "Bearer not-a-token"}
    assert assert_head_is_get(client, url, bad_token).status_code == 401


def test_405_names_head_wherever_get_is_and_head_is_405_where_get_is_not(
    meldingen_client: TestClient,
    scene: Scene,
) -> None:
    listed = meldingen_client.delete("/api/meldingen/v1/meldingen", headers=scene.handler)
    assert listed.status_code == 405
    assert _allow(listed) == ["GET", "HEAD", "POST"]
    detail = meldingen_client.put(scene.url(), json={}, headers=scene.handler)
    assert detail.status_code == 405
    assert _allow(detail) == ["GET", "HEAD", "PATCH"]
    # A POST-only route has no GET, so no HEAD either.
    moves = meldingen_client.head(scene.url("/statuswijzigingen"), headers=scene.handler)
    assert moves.status_code == 405
    assert _allow(moves) == ["POST"]
    assert moves.content == b""


def _allow(response: httpx.Response) -> list[str]:
    return sorted(re.split(r"\s*,\s*", response.headers["allow"]))
