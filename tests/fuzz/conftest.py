"""The fuzzers get their own SQLite databases: fuzzed writes (catalogue edits, articles, …)
must not leak into the data other tests in the session assert on."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Backend


@pytest.fixture(scope="session")
def fuzz_backend(tmp_path_factory: pytest.TempPathFactory) -> Backend:
    # A name of its own, so service_client gives the fuzzers their own apps and databases.
    return Backend("fuzz-sqlite", tmp_path_factory.mktemp("fuzz"))


@pytest.fixture
def fuzz_client(
    fuzz_backend: Backend, service_client: Callable[..., TestClient]
) -> Callable[..., TestClient]:
    def make(service: str, create_app: Callable[..., object], settings_class: type) -> TestClient:
        return service_client(fuzz_backend, service, create_app, settings_class)

    return make
