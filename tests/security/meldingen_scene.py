"""The meldingen client and one-melding scene for security tests outside tests/meldingen.

Plain functions, so each test module declares its own fixtures (two lines each) without
importing fixtures by name.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import Scene, report


def meldingen_client(backend: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    return service_client(backend, "meldingen", create_app, MeldingenSettings)


def new_scene(
    client: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> Scene:
    """One melding in a fresh organisation, with its melder and a handler there."""
    org = unique_org()
    melder = devidp.headers(unique_sub("melder"), ["melder"], org)
    handler = devidp.headers(unique_sub("handler"), ["behandelaar"], org)
    return Scene(org, melder, handler, report(client, melder))
