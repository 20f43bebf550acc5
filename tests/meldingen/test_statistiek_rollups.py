"""The rollups behind the statistics: equal to a rebuild after any sequence of operations, the
same published value for the same meldingen whatever the route, and useful figures.

One fresh database per backend for the module: 10,000 generated meldingen (direct inserts,
then the rebuild command), plus what the tests add through the API in months of their own.
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import subprocess
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.db import DatabaseTarget, create_engine_for, database_target, session_factory
from services.common.migrations import alembic_config, upgrade
from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from services.meldingen.melding.enums import Functie, Gedragstype, Vorm
from services.meldingen.melding.models import Melding
from services.meldingen.retentie.service import anonimiseer
from services.meldingen.statistiek import repository, rollup, ruis
from services.meldingen.statistiek.enums import Groepering
from services.meldingen.statistiek.models import MeldingVorm, RecordSleutel
from services.meldingen.statistiek.repository import StatistiekFilter
from services.meldingen.statistiek.service import publiceer
from tests.conftest import TEST_KEYS, Backend, DevIdp
from tests.meldingen.conftest import BASE, melding_body
from tests.meldingen.db import query
from tests.support import postgres

STAT = f"{BASE}/statistieken"
ROOT = Path(__file__).resolve().parents[2]
GENERATED = 10_000
ORGS = [f"GM{n:04d}" for n in range(9001, 9011)]
MONTHS = [f"2020-{m:02d}" for m in range(1, 13)]


@dataclass
class Db:
    backend: Backend
    target: DatabaseTarget
    env: dict[str, str]
    client: TestClient
    truth: list[dict[str, Any]]  # the generated meldingen's grouped fields

    def run(self, work: Any) -> Any:
        async def go() -> Any:
            engine = create_engine_for(self.target, pool_size=1)
            try:
                async with session_factory(engine)() as session:
                    result = await work(session)
                    await session.commit()
                    return result
            finally:
                await engine.dispose()

        return asyncio.run(go())


def _generate(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Any]]:
    meldingen, vormen, sleutels = [], [], []
    for i in range(GENERATED):
        mid = uuid.uuid4()
        maand = rng.choice(MONTHS)
        moment = datetime.fromisoformat(f"{maand}-15T12:00:00+00:00")
        forms = rng.sample([v.value for v in Vorm], rng.randint(1, 3))
        meldingen.append(
            {
                "id": mid,
                "kenmerk": f"MLD-T-{i:06d}",
                "gedragstype": rng.choice(list(Gedragstype)).value,
                "vormen": forms,
                "datum_voorval": moment,
                "maand_voorval": maand,
                "functie": rng.choice(list(Functie)).value,
                "organisatie": rng.choice(ORGS),
                "vertrouwelijk": rng.random() < 0.05,
                "acuut_gevaar": False,
                "status": rng.choice(["ontvangen", "in_behandeling", "afgehandeld"]),
                "prioriteit": rng.choice(["normaal", "normaal", "hoog"]),
                "owb_bereik": False,
                "advies": [],
                "aangemaakt_op": moment,
                "gewijzigd_op": moment,
                "versie": 1,
                "reactie_uiterlijk": moment + timedelta(days=3),
            }
        )
        vormen += [{"melding_id": mid, "vorm": v} for v in forms]
        sleutels.append({"melding_id": mid, "sleutel": secrets.randbelow(256)})
    return meldingen, vormen, sleutels


def _herbouw_command(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "services.meldingen", "statistiek-herbouw"],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def db(backend: Backend, request: pytest.FixtureRequest, devidp: DevIdp) -> Iterator[Db]:
    with tempfile.TemporaryDirectory() as directory:
        admin = request.getfixturevalue("postgres_admin_url") if backend.is_postgres else None
        url = postgres.create_database(admin, prefix="wb_statistiek") if admin else None
        try:
            settings = MeldingenSettings(
                data_dir=Path(directory),
                database_url=url,
                data_keys=TEST_KEYS,
                oidc_issuer=devidp.issuer,
                env="test",
            )
            target = database_target(settings, service="meldingen", schema="meldingen")
            upgrade("meldingen", target)
            env = {"WEERBAAR_DATA_DIR": directory, "WEERBAAR_DATA_KEYS": TEST_KEYS}
            if url:
                env["WEERBAAR_DATABASE_URL"] = url
            meldingen, vormen, sleutels = _generate(random.Random(15))

            async def insert(session: AsyncSession) -> None:
                for table, rows in (
                    (Melding, meldingen),
                    (MeldingVorm, vormen),
                    (RecordSleutel, sleutels),
                ):
                    for start in range(0, len(rows), 2000):
                        await session.execute(
                            table.__table__.insert(),  # type: ignore[attr-defined]
                            rows[start : start + 2000],
                        )

            with TestClient(create_app(settings, target)) as client:
                found = Db(backend, target, env, client, meldingen)
                found.run(insert)
                assert "landelijk:functie+gedragstype+prioriteit+status" in _herbouw_command(env)
                yield found
        finally:
            if admin and url:
                postgres.drop_database(admin, url)


def _analist(devidp: DevIdp) -> dict[str, str]:
    return devidp.headers(f"analist-{uuid.uuid4().hex[:8]}", ["analist"], "GM0363")


def test_perturbation_table_is_as_documented() -> None:
    tabel = ruis.tabel()
    assert sorted(tabel) == list(range(1, 33))
    for aantal, rij in tabel.items():
        assert len(rij) == 256
        assert sum(rij) == 0, "mean 0"
        assert min(rij) >= -2
        assert max(rij) <= 2
        assert aantal + min(rij) >= 1, "a positive count never becomes 0 or negative"
    assert set(tabel[3]) == {-2, -1, 0, 1, 2}
    assert ruis.rij(33) == 17
    assert ruis.rij(48) == 32
    assert ruis.rij(49) == 17


def test_published_values_are_useful(db: Db, devidp: DevIdp) -> None:
    """Within 2 of the truth per cell, mean error within 0.5, every large cell listed."""
    truth = Counter((m["organisatie"], m["gedragstype"], m["maand_voorval"]) for m in db.truth)
    response = db.client.get(
        STAT,
        params={
            "groepeerOp": ["organisatie", "gedragstype", "maand"],
            "van": "2020-01",
            "tot": "2020-12",
        },
        headers=_analist(devidp),
    )
    assert response.status_code == 200, response.text
    groepen = response.json()["groepen"]
    errors = [
        g["aantal"] - truth[(g["organisatie"], g["gedragstype"], g["maand"])] for g in groepen
    ]
    assert len(groepen) == len(truth) == 360  # every cell holds ~28, far above drempel
    assert max(abs(e) for e in errors) <= 2
    assert abs(sum(errors) / len(errors)) <= 0.5
    assert any(e != 0 for e in errors), "the figures are perturbed"
    by_form = Counter(v for m in db.truth for v in m["vormen"])
    response = db.client.get(
        STAT,
        params={"groepeerOp": "vorm", "van": "2020-01", "tot": "2020-12"},
        headers=_analist(devidp),
    )
    for g in response.json()["groepen"]:
        assert abs(g["aantal"] - by_form[g["vorm"]]) <= 2


def _every_route(db: Db, groepeer_op: tuple[Groepering, ...], **filters: Any) -> list[Any]:
    """The published groups from every rollup that covers the grouping, and from the scan."""
    spec = StatistiekFilter(groepeer_op=groepeer_op, **filters)
    bronnen: list[rollup.Rollup | None] = [None]
    for r in rollup.GROEPERINGEN:
        if (
            r.niveau >= spec.niveau
            and set(groepeer_op)
            - {
                Groepering.maand,
                Groepering.organisatie,
            }
            <= r.dimensies
            and (Groepering.vorm in groepeer_op) == (Groepering.vorm in r.dimensies)
        ):
            bronnen.append(r)

    async def work(session: AsyncSession) -> list[Any]:
        return [
            publiceer(await repository.tel(session, spec, bron), groepeer_op, 5) for bron in bronnen
        ]

    routes: list[Any] = db.run(work)
    return routes


def test_same_meldingen_same_value_by_every_route(db: Db, devidp: DevIdp) -> None:
    g, m, o = Groepering.gedragstype, Groepering.maand, Groepering.organisatie
    for groepeer_op, filters in (
        ((g, m), {}),
        ((g,), {"van": "2020-03", "tot": "2020-05"}),
        ((o, g), {}),
        ((g, m), {"organisatie": ORGS[0]}),
        ((Groepering.vorm,), {"organisatie": ORGS[1]}),
        ((Groepering.status, Groepering.prioriteit), {}),
    ):
        routes = _every_route(db, groepeer_op, **filters)
        assert len(routes) >= 2, groepeer_op
        assert routes[0], groepeer_op
        assert all(route == routes[0] for route in routes), groepeer_op
    analist = _analist(devidp)
    # The same query twice; and one month's cells through a one-month and a twelve-month window.
    params = {"groepeerOp": ["gedragstype", "maand"], "organisatie": ORGS[2]}
    year = db.client.get(STAT, params=params, headers=analist).json()
    assert year == db.client.get(STAT, params=params, headers=analist).json()
    april = db.client.get(
        STAT, params={**params, "van": "2020-04", "tot": "2020-04"}, headers=analist
    ).json()
    assert april["groepen"] == [x for x in year["groepen"] if x["maand"] == "2020-04"]


def test_rollups_equal_a_rebuild_after_random_operations(db: Db, devidp: DevIdp) -> None:
    rng = random.Random(1515)
    orgs = [f"GM{n:04d}" for n in range(9101, 9105)]
    owb = devidp.headers("owb-h", ["behandelaar"], "OWB")
    handlers = {org: devidp.headers(f"h-{org}", ["behandelaar"], org) for org in orgs}
    ids: list[tuple[str, str]] = []
    for i in range(40):
        org = rng.choice(orgs)
        fields: dict[str, Any] = {
            "gedragstype": rng.choice(list(Gedragstype)).value,
            "functie": rng.choice(list(Functie)).value,
            "vormen": rng.sample([v.value for v in Vorm], rng.randint(1, 3)),
            "datumVoorval": f"2019-{rng.randint(1, 12):02d}-10T10:00:00+01:00",
            "vertrouwelijk": rng.random() < 0.2,
            "acuutGevaar": rng.random() < 0.2,
        }
        if i % 7 == 0:
            fields["organisatie"] = org  # the national team files for someone of org
            fields["melder"] = f"burger-{i}"
            headers = owb
        else:
            headers = devidp.headers(f"melder-{i}", ["melder"], org)
        response = db.client.post(f"{BASE}/meldingen", json=melding_body(**fields), headers=headers)
        assert response.status_code == 201, response.text
        ids.append((response.json()["id"], org))
    moves = [
        {"status": "in_behandeling"},
        {"status": "doorverwezen", "doorverwezenNaar": "OWB"},
        {"status": "doorverwezen", "doorverwezenNaar": "politie"},
        {"status": "afgehandeld", "nazorgPlannen": False},
    ]
    for _ in range(80):
        melding_id, org = rng.choice(ids)
        url = f"{BASE}/meldingen/{melding_id}"
        for headers in (handlers[org], owb):
            if rng.random() < 0.5:
                response = db.client.patch(
                    url,
                    json={"prioriteit": rng.choice(["normaal", "hoog", "spoed"])},
                    headers=headers,
                )
            else:
                body = {**rng.choice(moves), "toelichting": "test"}
                response = db.client.post(f"{url}/statuswijzigingen", json=body, headers=headers)
            if response.status_code != 404:
                break
        assert response.status_code in {200, 201, 409}, response.text

    async def anonymise(session: AsyncSession) -> int:
        verslag = await anonimiseer(
            session, bewaartermijn_dagen=30, now=datetime.now(UTC) + timedelta(days=31)
        )
        return verslag.gewist["meldingen"]

    before = _published_2019(db, devidp)
    assert db.run(anonymise) > 0
    assert _published_2019(db, devidp) == before, "anonymisation keeps the figures"
    incremental = db.run(repository.cellen)
    _herbouw_command(db.env)
    assert db.run(repository.cellen) == incremental
    assert _published_2019(db, devidp) == before, "a rebuild keeps the figures"


def _published_2019(db: Db, devidp: DevIdp) -> list[Any]:
    analist = _analist(devidp)
    out = []
    for groepeer_op in (["organisatie", "gedragstype"], ["status"], ["vorm", "prioriteit"]):
        response = db.client.get(
            STAT,
            params={"groepeerOp": groepeer_op, "van": "2019-01", "tot": "2019-12"},
            headers=analist,
        )
        assert response.status_code == 200, response.text
        out.append(response.json())
    return out


def test_migration_gives_existing_meldingen_a_record_key(
    request: pytest.FixtureRequest, backend: Backend
) -> None:
    from tests.meldingen.db import fresh_target

    admin = request.getfixturevalue("postgres_admin_url") if backend.is_postgres else None
    with fresh_target(backend, admin) as target:
        config = alembic_config("meldingen", target)
        command.upgrade(config, "0005")
        for n in range(3):
            melding_id = uuid.uuid4()
            query(
                target,
                "INSERT INTO meldingen.melding (id, kenmerk, gedragstype, vormen, datum_voorval,"
                " maand_voorval, functie, organisatie, vertrouwelijk, acuut_gevaar, status,"
                " prioriteit, owb_bereik, advies, aangemaakt_op, gewijzigd_op, versie) VALUES"
                " (:id, :kenmerk, 'verward_gedrag', '[]', :nu, '2025-04', 'raadslid', 'GM0001',"
                " false, false, 'ontvangen', 'normaal', false, '[]', :nu, :nu, 1)",
                id=melding_id if backend.is_postgres else melding_id.hex,
                kenmerk=f"MLD-2025-00000{n}",
                nu=datetime(2025, 4, 1, tzinfo=UTC)
                if backend.is_postgres
                else "2025-04-01 00:00:00",
            )
        command.upgrade(config, "head")
        keys = query(target, "SELECT sleutel FROM meldingen.statistiek_sleutel")
        assert len(keys) == 3
        assert all(0 <= k["sleutel"] <= 255 for k in keys)
        command.downgrade(config, "0005")
        command.upgrade(config, "head")
        command.check(config)
