"""Kenmerken without gaps under load, and Idempotency-Key replays that never create twice.

The parallel tests run against a real uvicorn process of meldingen on PostgreSQL (SQLite
serialises every writer, so there is nothing to race there); the sequential idempotency
rules hold on both databases.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import melding_body
from tests.support.processes import RunningProcess, start_process

MELDINGEN = "/api/meldingen/v1/meldingen"
KENMERK = re.compile(r"MLD-(\d{4})-(\d{6})")


@pytest.fixture(scope="module")
def meldingen_process(
    postgres_backend: Backend, devidp: DevIdp, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningProcess]:
    """PostgreSQL only: SQLite serialises every writer, so there is no race to show."""
    backend = postgres_backend
    backend.migrate("meldingen")
    process = start_process(
        "meldingen",
        ["services.meldingen", "serve"],
        env={**backend.env(), "WEERBAAR_OIDC_ISSUER": devidp.issuer, "WEERBAAR_ENV": "test"},
        log_dir=tmp_path_factory.mktemp("meldingen-concurrency"),
    )
    yield process
    process.stop()


def in_parallel(
    count: int, request: Callable[[httpx.Client], httpx.Response]
) -> list[httpx.Response]:
    """`count` requests released together from `count` threads over one connection pool."""
    barrier = threading.Barrier(count)
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    with httpx.Client(timeout=30.0, limits=limits) as http:

        def one(_: int) -> httpx.Response:
            barrier.wait(timeout=30)
            return request(http)

        with ThreadPoolExecutor(max_workers=count) as pool:
            return list(pool.map(one, range(count)))


def kenmerk_number(kenmerk: str) -> tuple[int, int]:
    match = KENMERK.fullmatch(kenmerk)
    assert match, kenmerk
    return int(match.group(1)), int(match.group(2))


def test_fifty_parallel_creates_get_fifty_consecutive_kenmerken(
    meldingen_process: RunningProcess, devidp: DevIdp, unique_sub: Callable[[str], str]
) -> None:
    headers = devidp.headers(unique_sub("melder"), ["melder"], "GM0363")
    url = meldingen_process.url + MELDINGEN

    responses = in_parallel(50, lambda http: http.post(url, json=melding_body(), headers=headers))

    assert [r.status_code for r in responses] == [201] * 50, [r.text for r in responses[:3]]
    numbers = [kenmerk_number(r.json()["kenmerk"]) for r in responses]
    assert len({year for year, _ in numbers}) == 1
    sequence = sorted(number for _, number in numbers)
    assert sequence == list(range(sequence[0], sequence[0] + 50)), "distinct and without gaps"
    assert len({r.json()["id"] for r in responses}) == 50


def test_concurrent_requests_with_one_idempotency_key_create_one_melding(
    meldingen_process: RunningProcess, devidp: DevIdp, unique_sub: Callable[[str], str]
) -> None:
    headers = {
        **devidp.headers(unique_sub("melder"), ["melder"], "GM0363"),
        "Idempotency-Key": "een-sleutel-voor-twintig",
    }
    url = meldingen_process.url + MELDINGEN
    body = melding_body()

    responses = in_parallel(20, lambda http: http.post(url, json=body, headers=headers))

    originals = [
        r for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers
    ]
    replays = [r for r in responses if r.headers.get("idempotent-replayed") == "true"]
    conflicts = [r for r in responses if r.status_code == 409]
    assert len(originals) == 1, [(r.status_code, dict(r.headers)) for r in responses]
    assert len(originals) + len(replays) + len(conflicts) == 20
    assert all(r.status_code == 201 and r.json() == originals[0].json() for r in replays)
    assert all(r.headers["content-type"].startswith("application/problem+json") for r in conflicts)
    listed = httpx.get(url, headers=headers, timeout=10).json()
    assert listed["count"] == 1
    assert listed["results"][0]["id"] == originals[0].json()["id"]


def test_concurrent_requests_with_distinct_keys_each_create_one(
    meldingen_process: RunningProcess, devidp: DevIdp, unique_sub: Callable[[str], str]
) -> None:
    auth = devidp.headers(unique_sub("melder"), ["melder"], "GM0363")
    url = meldingen_process.url + MELDINGEN
    counter = iter(range(10))
    lock = threading.Lock()

    def post(http: httpx.Client) -> httpx.Response:
        with lock:
            key = f"sleutel-{next(counter)}"
        return http.post(url, json=melding_body(), headers={**auth, "Idempotency-Key": key})

    responses = in_parallel(10, post)
    assert [r.status_code for r in responses] == [201] * 10
    assert httpx.get(url, headers=auth, timeout=10).json()["count"] == 10


# ---- sequential idempotency rules, on both databases ------------------------------------------


@pytest.fixture
def melder(devidp: DevIdp, unique_sub: Callable[[str], str]) -> dict[str, str]:
    return devidp.headers(unique_sub("melder"), ["melder"], "GM0363")


def post_with_key(
    client: TestClient, headers: dict[str, str], key: str, body: dict[str, Any]
) -> httpx.Response:
    return client.post(MELDINGEN, json=body, headers={**headers, "Idempotency-Key": key})


def test_idempotent_replay_returns_the_original_answer(
    client: TestClient, melder: dict[str, str]
) -> None:
    first = post_with_key(client, melder, "herhaal-mij", melding_body())
    assert first.status_code == 201
    assert "idempotent-replayed" not in first.headers

    again = post_with_key(client, melder, "herhaal-mij", melding_body())
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert client.get(MELDINGEN, headers=melder).json()["count"] == 1


def test_same_key_with_a_different_body_is_409(client: TestClient, melder: dict[str, str]) -> None:
    assert post_with_key(client, melder, "eenmalig", melding_body()).status_code == 201
    other = post_with_key(client, melder, "eenmalig", melding_body(omschrijving="Iets anders."))
    assert other.status_code == 409
    assert other.headers["content-type"].startswith("application/problem+json")
    assert other.json()["type"] == "urn:weerbaar:probleem:idempotency-key-conflict"
    assert client.get(MELDINGEN, headers=melder).json()["count"] == 1


def test_idempotency_key_is_scoped_to_the_subject(
    client: TestClient, devidp: DevIdp, unique_sub: Callable[[str], str]
) -> None:
    first = devidp.headers(unique_sub("melder"), ["melder"], "GM0363")
    second = devidp.headers(unique_sub("melder"), ["melder"], "GM0363")
    one = post_with_key(client, first, "gedeelde-sleutel", melding_body())
    two = post_with_key(client, second, "gedeelde-sleutel", melding_body())
    assert (one.status_code, two.status_code) == (201, 201)
    assert "idempotent-replayed" not in two.headers
    assert one.json()["id"] != two.json()["id"]


def test_a_refused_request_does_not_use_up_its_key(
    client: TestClient, melder: dict[str, str]
) -> None:
    refused = post_with_key(client, melder, "eerst-fout", melding_body(vormen=[]))
    assert refused.status_code == 400
    accepted = post_with_key(client, melder, "eerst-fout", melding_body())
    assert accepted.status_code == 201
    assert "idempotent-replayed" not in accepted.headers
