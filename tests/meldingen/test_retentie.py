"""Retention and key rotation, each on a database of its own (they touch every row)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.common.crypto import generate_key_spec
from services.common.db import DatabaseTarget
from services.common.migrations import upgrade
from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from services.meldingen.retentie.service import ENCRYPTED_COLUMNS, run_retention, run_rotation
from tests.conftest import TEST_KEYS, Backend, DevIdp
from tests.meldingen.bijlagen import png
from tests.meldingen.conftest import melding_body
from tests.meldingen.db import fresh_target, query

BASE = "/api/meldingen/v1"
ORG = "GM0100"


@pytest.fixture
def target(request: pytest.FixtureRequest, backend: Backend) -> Iterator[DatabaseTarget]:
    admin = request.getfixturevalue("postgres_admin_url") if backend.is_postgres else None
    with fresh_target(backend, admin) as target:
        upgrade("meldingen", target)
        yield target


def _settings(target: DatabaseTarget, devidp: DevIdp, keys: str = TEST_KEYS) -> MeldingenSettings:
    url = None if target.is_sqlite else target.url.set(drivername="postgresql")
    return MeldingenSettings(
        database_url=url.render_as_string(hide_password=False) if url else None,
        data_dir=target.schema_file.parent,
        data_keys=keys,
        oidc_issuer=devidp.issuer,
        env="test",
    )


@pytest.fixture
def app_on(devidp: DevIdp) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(target: DatabaseTarget, keys: str = TEST_KEYS) -> TestClient:
        client = TestClient(create_app(_settings(target, devidp, keys), target))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def _key(target: DatabaseTarget, melding_id: str) -> Any:
    return uuid.UUID(melding_id).hex if target.is_sqlite else uuid.UUID(melding_id)


def _backdate(target: DatabaseTarget, melding_id: str, days: int) -> None:
    moment = datetime.now(UTC) - timedelta(days=days)
    value: Any = moment.replace(tzinfo=None) if target.is_sqlite else moment
    query(
        target,
        "UPDATE meldingen.melding SET afgesloten_op = :t WHERE id = :id",
        t=value,
        id=_key(target, melding_id),
    )


def _full_case(
    client: TestClient,
    melder: dict[str, str],
    handler: dict[str, str],
    *,
    aangifte: str | None,
    **fields: Any,
) -> str:
    """A melding with everything: notes, status text, aangifte, aftercare, log entries; closed."""
    mid: str = client.post(
        f"{BASE}/meldingen",
        json=melding_body(**fields),
        headers={**melder, "Idempotency-Key": uuid.uuid4().hex},
    ).json()["id"]
    url = f"{BASE}/meldingen/{mid}"
    assert client.get(url, headers=handler).status_code == 200
    client.post(f"{url}/notities", json={"tekst": "Melder is bang."}, headers=handler)
    client.post(f"{url}/notities", json={"tekst": "Mijn aanvulling."}, headers=melder)
    bijlage = {"bestand": ("dreigbrief.png", png(), "image/png")}
    added = client.post(
        f"{url}/bijlagen", files=bijlage, data={"omschrijving": "De brief."}, headers=melder
    )
    assert added.status_code == 201, added.text
    if aangifte:
        body = {
            "datumAangifte": "2026-11-21",
            "politieRegistratienummer": "PL0900-123",
            "status": aangifte,
            "ondersteuning": ["spreekrecht"],
        }
        assert client.put(f"{url}/aangifte", json=body, headers=handler).status_code == 201
    closed = client.post(
        f"{url}/statuswijzigingen",
        json={"status": "afgehandeld", "toelichting": "Gesprek gevoerd met de melder thuis."},
        headers=handler,
    )
    assert closed.status_code == 201
    moment = client.get(f"{url}/nazorgmomenten", headers=handler).json()["results"][0]
    client.patch(
        f"{url}/nazorgmomenten/{moment['id']}",
        json={"uitgevoerd": True, "uitkomst": "Het gaat beter."},
        headers=handler,
    )
    return mid


def _stats(client: TestClient, analist: dict[str, str]) -> list[Any]:
    results = []
    for grouping in (["gedragstype", "maand"], ["vorm", "status"], ["functie", "prioriteit"]):
        response = client.get(
            f"{BASE}/statistieken", params={"groepeerOp": grouping}, headers=analist
        )
        assert response.status_code == 200
        results.append(response.json())
    return results


def test_retention_anonymises_holds_back_running_cases_and_is_idempotent(
    target: DatabaseTarget,
    devidp: DevIdp,
    app_on: Callable[..., TestClient],
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = app_on(target)
    melder_sub = f"melder-{uuid.uuid4().hex[:8]}"
    melder = devidp.headers(melder_sub, ["melder"], ORG)
    handler = devidp.headers(f"h-{uuid.uuid4().hex[:8]}", ["behandelaar"], ORG)
    analist = devidp.headers("analist-r", ["analist"], ORG)
    oud = [_full_case(client, melder, handler, aangifte="afgerond") for _ in range(3)]
    oud.append(_full_case(client, melder, handler, aangifte=None, gedragstype="verward_gedrag"))
    lopend = _full_case(client, melder, handler, aangifte="bij_om")
    recent = _full_case(client, melder, handler, aangifte=None)
    for mid in [*oud, lopend]:
        _backdate(target, mid, 731)
    _backdate(target, recent, 700)
    stats_before = _stats(client, analist)
    settings = _settings(target, devidp)

    verslag = asyncio.run(run_retention(settings, target))
    assert verslag.gewist["meldingen"] == 4
    assert verslag.aangehouden == 1
    assert verslag.gewist["notities"] == 8
    assert verslag.gewist["inzages"] > 0
    printed = capsys.readouterr().out
    assert "meldingen geanonimiseerd: 4" in printed
    assert "aangehouden (strafzaak loopt nog): 1" in printed
    again = asyncio.run(run_retention(settings, target))
    assert set(again.gewist.values()) == {0}
    assert again.aangehouden == 1

    for mid in oud:
        key = _key(target, mid)
        [melding] = query(
            target,
            "SELECT omschrijving_versleuteld, melder, aangemaakt_door, behandelaar, gedragstype,"
            " organisatie, functie, vormen, maand_voorval, status FROM meldingen.melding"
            " WHERE id = :id",
            id=key,
        )
        assert melding["omschrijving_versleuteld"] is None
        assert melding["melder"] is None
        assert melding["aangemaakt_door"] is None
        assert melding["gedragstype"] in {"frustratie_agressie", "verward_gedrag"}
        assert melding["organisatie"] == ORG
        assert melding["maand_voorval"] == "2026-11"
        for statement in (
            "SELECT tekst_versleuteld AS a, auteur AS b FROM meldingen.notitie"
            " WHERE melding_id = :id",
            "SELECT toelichting_versleuteld AS a, door AS b FROM meldingen.statuswijziging"
            " WHERE melding_id = :id",
            "SELECT omschrijving_versleuteld AS a, uitkomst_versleuteld AS b"
            " FROM meldingen.nazorgmoment WHERE melding_id = :id",
            "SELECT subject AS a, subject AS b FROM meldingen.inzage WHERE melding_id = :id",
            "SELECT politie_registratienummer_versleuteld AS a, door AS b"
            " FROM meldingen.aangifte_wijziging WHERE melding_id = :id",
        ):
            rows = query(target, statement, id=key)
            assert all(row["a"] is None and row["b"] is None for row in rows), statement
        assert not query(
            target, "SELECT id FROM meldingen.idempotent_verzoek WHERE melding_id = :id", id=key
        )
    # The handler still sees the structured melding, without its text; the log keeps its rows.
    seen = client.get(f"{BASE}/meldingen/{oud[0]}", headers=handler).json()
    assert seen["omschrijving"] is None
    assert seen["melder"] is None
    log = client.get(f"{BASE}/meldingen/{oud[0]}/inzages", headers=handler).json()
    assert log["count"] >= 3
    # The running criminal case and the recent melding keep everything.
    for mid in (lopend, recent):
        body = client.get(f"{BASE}/meldingen/{mid}", headers=melder).json()
        assert body["omschrijving"] == melding_body()["omschrijving"]
        assert body["melder"] == melder_sub
    aangifte = client.get(f"{BASE}/meldingen/{lopend}/aangifte", headers=melder).json()
    assert aangifte["politieRegistratienummer"] == "PL0900-123"

    assert _stats(client, analist) == stats_before


def _encrypted_values(target: DatabaseTarget) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for kolom in ENCRYPTED_COLUMNS:
        table = kolom.pk.class_.__tablename__
        rows = query(
            target,
            f"SELECT {kolom.column.key} AS v FROM meldingen.{table}"
            f" WHERE {kolom.column.key} IS NOT NULL",
        )
        values[kolom.name] = [row["v"] for row in rows]
    return values


def test_rotation_rewrites_everything_under_the_new_key_and_keeps_it_readable(
    target: DatabaseTarget, devidp: DevIdp, app_on: Callable[..., TestClient]
) -> None:
    client = app_on(target)
    melder = devidp.headers(f"melder-{uuid.uuid4().hex[:8]}", ["melder"], ORG)
    handler = devidp.headers(f"h-{uuid.uuid4().hex[:8]}", ["behandelaar"], ORG)
    mids = [_full_case(client, melder, handler, aangifte="gedaan") for _ in range(2)]
    before = {
        mid: (
            client.get(f"{BASE}/meldingen/{mid}", headers=handler).json()["omschrijving"],
            client.get(f"{BASE}/meldingen/{mid}/notities", headers=handler).json()["results"],
            client.get(f"{BASE}/meldingen/{mid}/aangifte", headers=melder).json()["historie"],
            client.get(f"{BASE}/meldingen/{mid}/nazorgmomenten", headers=melder).json()["results"],
        )
        for mid in mids
    }
    stored = _encrypted_values(target)
    assert all(stored.values()), "every encrypted column holds a value in this test"
    assert all(v.startswith("v1.test-2.") for vs in stored.values() for v in vs)

    new_ring = generate_key_spec("test-3") + "," + TEST_KEYS
    counts = asyncio.run(run_rotation(_settings(target, devidp, new_ring), target))
    assert counts.pop("bijlage.inhoud") == len(mids), "one segment per (small) attachment"
    assert counts == {name: len(values) for name, values in stored.items()}
    rotated = _encrypted_values(target)
    assert all(v.startswith("v1.test-3.") for vs in rotated.values() for v in vs)
    assert {k: len(v) for k, v in rotated.items()} == {k: len(v) for k, v in stored.items()}

    rotated_client = app_on(target, new_ring)
    for mid, (omschrijving, notities, historie, nazorg) in before.items():
        assert (
            rotated_client.get(f"{BASE}/meldingen/{mid}", headers=handler).json()["omschrijving"]
            == omschrijving
        )
        url = f"{BASE}/meldingen/{mid}"
        assert rotated_client.get(f"{url}/notities", headers=handler).json()["results"] == notities
        assert rotated_client.get(f"{url}/aangifte", headers=melder).json()["historie"] == historie
        assert rotated_client.get(f"{url}/nazorgmomenten", headers=melder).json()["results"] == (
            nazorg
        )
    # Values written under an older key still read with the new ring (it keeps the old keys).
    assert rotated_client.get(f"{BASE}/meldingen/{mids[0]}", headers=melder).status_code == 200
    again = asyncio.run(run_rotation(_settings(target, devidp, new_ring), target))
    assert set(again.values()) == {0}
