"""The daily attachment allowance per person, on both databases (bijlage/quotum.py).

Without it one melder token stored 36 MiB/s in the service's database through the gateway with
its default rate limits (twenty 20 MiB files per melding, a melding a second): the disk report
intake writes to would fill in hours. Here the allowance is its minimum, 20 MiB.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from tests.conftest import Backend, DevIdp
from tests.meldingen.bijlagen import MIB, png, upload
from tests.meldingen.conftest import BASE, report
from tests.meldingen.test_bijlagen import problem, stored_count

DAY_SECONDS = 24 * 3600


def letter(size: int) -> bytes:
    """A plain-text letter of exactly ``size`` bytes."""
    line = b"Ik weet waar je woont.\n"
    return (line * (size // len(line) + 1))[:size]


@pytest.fixture
def small_allowance(backend: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    return service_client(
        backend, "meldingen", create_app, MeldingenSettings, bijlagen_mib_per_dag=20
    )


def test_a_person_past_the_daily_allowance_gets_429_and_others_do_not(
    backend: Backend,
    small_allowance: TestClient,
    devidp: DevIdp,
    unique_sub: Callable[[str], str],
    unique_org: Callable[[], str],
) -> None:
    client = small_allowance
    org = unique_org()
    melder = devidp.headers(unique_sub("quotum"), ["melder"], org)
    colleague = devidp.headers(unique_sub("collega"), ["melder"], org)
    first = report(client, melder)
    url = f"{BASE}/meldingen/{first}/bijlagen"

    taken = upload(client, url, melder, "a.txt", letter(12 * MIB))
    assert taken.status_code == 201, taken.text
    # 12 + 12 MiB passes 20: refused once received, and nothing of it is stored.
    over = upload(client, url, melder, "b.txt", letter(12 * MIB))
    body = problem(over, 429)
    assert body["type"] == "urn:weerbaar:probleem:bijlagen-quotum"
    assert 1 <= int(over.headers["Retry-After"]) <= DAY_SECONDS
    assert stored_count(backend, first) == 1
    # What still fits is taken, up to the allowance exactly.
    assert upload(client, url, melder, "c.txt", letter(8 * MIB)).status_code == 201

    # Used up: refused before the body is read, on another melding of the same person too.
    second = report(client, melder)
    refused = upload(client, f"{BASE}/meldingen/{second}/bijlagen", melder, "d.png", png())
    assert problem(refused, 429)["type"] == "urn:weerbaar:probleem:bijlagen-quotum"
    assert stored_count(backend, second) == 0

    # The allowance is the person's, not the melding's or the organisation's.
    own = report(client, colleague)
    taken = upload(client, f"{BASE}/meldingen/{own}/bijlagen", colleague, "e.png", png())
    assert taken.status_code == 201, taken.text


def test_the_allowance_is_at_least_one_full_file() -> None:
    with pytest.raises(ValueError, match="bijlagen_mib_per_dag"):
        MeldingenSettings(bijlagen_mib_per_dag=19)
