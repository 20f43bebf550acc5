"""Deadlines and escalation (DESIGN.md part D): reactieUiterlijk, pickup, the scheduler.

Meldingen are made through the API; a deadline is made to pass by moving the stored
`reactie_uiterlijk` into the past (what time would do), and the real scheduler runs against
the real database. The exactly-once tests use a database of their own.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import services.meldingen.models  # noqa: F401  (every table)
from services.common.db import DatabaseTarget, create_engine_for, session_factory
from services.common.migrations import upgrade
from services.common.outbox import outbox_session_info
from services.meldingen.events import uitgaande_gebeurtenis
from services.meldingen.melding.models import Melding
from services.meldingen.nazorg.models import Nazorgmoment
from services.meldingen.termijn.scheduler import Uitkomst, run_once
from services.meldingen.termijn.service import STANDAARD_TERMIJNEN, reactie_uiterlijk
from tests.conftest import Backend, DevIdp
from tests.meldingen.conftest import BASE, Scene, report
from tests.meldingen.db import fresh_target

TYPE = "nl.weerbaarbestuur.meldingen."
HANDLER_ONLY = {"reactieUiterlijk", "opgepaktOp", "termijnVerstreken"}


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@asynccontextmanager
async def _sessions(target: DatabaseTarget) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine_for(target, pool_size=2)
    try:
        sessions = session_factory(engine)
        sessions.configure(info=outbox_session_info(public_base_url="http://gw.test"))
        yield sessions
    finally:
        await engine.dispose()


def escalate(target: DatabaseTarget, *, now: datetime | None = None) -> Uitkomst:
    async def go() -> Uitkomst:
        async with _sessions(target) as sessions:
            return await run_once(sessions, now=now)

    return asyncio.run(go())


def sql(target: DatabaseTarget, statement: Any) -> list[Any]:
    async def go() -> list[Any]:
        engine = create_engine_for(target, pool_size=1)
        try:
            async with engine.begin() as connection:
                result = await connection.execute(statement)
                return list(result.all()) if result.returns_rows else []
        finally:
            await engine.dispose()

    return asyncio.run(go())


def overdue(target: DatabaseTarget, melding_id: str, ago: timedelta = timedelta(minutes=5)) -> None:
    """Time passes: the deadline lies `ago` in the past."""
    sql(
        target,
        update(Melding)
        .where(Melding.id == uuid.UUID(melding_id))  # type: ignore[arg-type]
        .values(reactie_uiterlijk=datetime.now(UTC) - ago),
    )


def events_of(target: DatabaseTarget, type_: str, subject: str | None = None) -> list[Any]:
    rows = sql(target, select(uitgaande_gebeurtenis.c.envelope, uitgaande_gebeurtenis.c.reach))
    out = []
    for envelope, reach in rows:
        event = json.loads(envelope)
        if event["type"] == TYPE + type_ and (subject is None or event["subject"] == subject):
            out.append({"event": event, "reach": json.loads(reach)})
    return out


@pytest.fixture
def target(backend: Backend, client: TestClient) -> DatabaseTarget:
    return backend.migrate("meldingen")


# ---- the fields and who sees them ----------------------------------------------------------


def test_handler_sees_the_deadline_and_a_priority_change_recomputes_it(
    client: TestClient, scene: Scene
) -> None:
    body = client.get(scene.url(), headers=scene.handler).json()
    aangemaakt = _parse(body["aangemaaktOp"])
    assert _parse(body["reactieUiterlijk"]) == reactie_uiterlijk(
        aangemaakt, "normaal", STANDAARD_TERMIJNEN
    )
    assert body["opgepaktOp"] is None
    assert body["termijnVerstreken"] is False

    etag = client.get(scene.url(), headers=scene.handler).headers["ETag"]
    response = client.patch(
        scene.url(), json={"prioriteit": "spoed"}, headers={**scene.handler, "If-Match": etag}
    )
    assert response.status_code == 200, response.text
    # From aangemaaktOp, not from the moment of the change.
    assert _parse(response.json()["reactieUiterlijk"]) == aangemaakt + timedelta(hours=1)
    response = client.patch(scene.url(), json={"prioriteit": "hoog"}, headers=scene.handler)
    assert _parse(response.json()["reactieUiterlijk"]) == reactie_uiterlijk(
        aangemaakt, "hoog", STANDAARD_TERMIJNEN
    )


def test_a_spoed_melding_is_due_within_the_hour(
    client: TestClient, devidp: DevIdp, scene: Scene
) -> None:
    melding_id = report(client, scene.melder, acuutGevaar=True)
    body = client.get(f"{BASE}/meldingen/{melding_id}", headers=scene.handler).json()
    assert body["prioriteit"] == "spoed"
    assert _parse(body["reactieUiterlijk"]) - _parse(body["aangemaaktOp"]) == timedelta(hours=1)


def test_the_melder_never_sees_the_deadline_fields(
    client: TestClient, scene: Scene, target: DatabaseTarget
) -> None:
    overdue(target, scene.id)
    client.post(f"{scene.url()}/toewijzing", json={"behandelaar": "h-x"}, headers=scene.handler)
    detail = client.get(scene.url(), headers=scene.melder).json()
    assert not HANDLER_ONLY & set(detail), detail
    listed = client.get(f"{BASE}/meldingen", headers=scene.melder).json()["results"]
    assert listed
    assert all(not HANDLER_ONLY & set(item) for item in listed)
    mine = client.get(f"{BASE}/mijn-gegevens", headers=scene.melder)
    assert mine.status_code == 200, mine.text
    for melding in mine.json()["meldingen"]:
        assert not HANDLER_ONLY & set(melding), melding
    # …while the handler sees all three, in the detail and in the list.
    handler_view = client.get(scene.url(), headers=scene.handler).json()
    assert set(handler_view) >= HANDLER_ONLY
    handler_list = client.get(f"{BASE}/meldingen", headers=scene.handler).json()["results"]
    assert all(set(item) >= HANDLER_ONLY for item in handler_list)


def test_termijn_verstreken_filter_is_for_handlers(
    client: TestClient, scene: Scene, target: DatabaseTarget
) -> None:
    on_time = report(client, scene.melder)
    overdue(target, scene.id)
    url = f"{BASE}/meldingen"
    late = client.get(url, params={"termijnVerstreken": "true"}, headers=scene.handler).json()
    ids = {item["id"] for item in late["results"]}
    assert scene.id in ids
    assert on_time not in ids
    assert all(item["termijnVerstreken"] is True for item in late["results"])
    fine = client.get(url, params={"termijnVerstreken": "false"}, headers=scene.handler).json()
    ids = {item["id"] for item in fine["results"]}
    assert on_time in ids
    assert scene.id not in ids

    refused = client.get(url, params={"termijnVerstreken": "true"}, headers=scene.melder)
    assert refused.status_code == 400
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert [p["name"] for p in refused.json()["invalidParams"]] == ["termijnVerstreken"]
    bad = client.get(url, params={"termijnVerstreken": "ja"}, headers=scene.handler)
    assert bad.status_code == 400


# ---- pickup and the scheduler ---------------------------------------------------------------


def test_overdue_melding_escalates_once_with_a_thin_handler_only_event(
    client: TestClient, scene: Scene, target: DatabaseTarget
) -> None:
    overdue(target, scene.id)
    escalate(target)
    escalate(target)  # a restart, or another replica: nothing twice
    [row] = events_of(target, "melding-termijn-verstreken", scene.id)
    event = row["event"]
    assert event["dataref"].endswith(f"/api/meldingen/v1/meldingen/{scene.id}")
    assert set(event["data"]) == {
        "meldingId",
        "kenmerk",
        "organisatie",
        "vertrouwelijk",
        "status",
        "prioriteit",
        "gewijzigdOp",
        "aangemaaktOp",
        "reactieUiterlijk",
    }
    assert row["reach"]["melder"] is None  # the melder is not told, not even by an event
    assert row["reach"]["organisatie"] == scene.org
    # The marker is not a change of the melding: its ETag stays.
    assert client.get(scene.url(), headers=scene.handler).json()["termijnVerstreken"] is True


def test_pickup_by_status_or_assignment_stops_escalation(
    client: TestClient, scene: Scene, target: DatabaseTarget
) -> None:
    by_status, by_assignment = scene.id, report(client, scene.melder)
    response = client.post(
        f"{scene.url()}/statuswijzigingen", json={"status": "in_behandeling"}, headers=scene.handler
    )
    assert response.status_code == 201, response.text
    assert response.json()["opgepaktOp"] is not None
    response = client.post(
        f"{BASE}/meldingen/{by_assignment}/toewijzing",
        json={"behandelaar": "h-y"},
        headers=scene.handler,
    )
    assert response.status_code == 200, response.text
    assert response.json()["opgepaktOp"] is not None
    assert response.json()["status"] == "ontvangen"
    for melding_id in (by_status, by_assignment):
        overdue(target, melding_id)
    escalate(target)
    for melding_id in (by_status, by_assignment):
        assert events_of(target, "melding-termijn-verstreken", melding_id) == []
        view = client.get(f"{BASE}/meldingen/{melding_id}", headers=scene.handler).json()
        # The deadline was moved to before the pickup: late, so it counts as verstreken in
        # the list, though the pickup came before any scheduler run, so nothing escalates.
        assert view["termijnVerstreken"] is True


def test_reopening_does_not_restart_the_clock(
    client: TestClient, scene: Scene, target: DatabaseTarget
) -> None:
    def move(status: str) -> dict[str, Any]:
        response = client.post(
            f"{scene.url()}/statuswijzigingen",
            json={"status": status, "nazorgPlannen": False},
            headers=scene.handler,
        )
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    opgepakt = move("afgehandeld")["opgepaktOp"]
    assert move("in_behandeling")["opgepaktOp"] == opgepakt
    assert move("afgehandeld")["opgepaktOp"] == opgepakt
    overdue(target, scene.id)
    escalate(target)
    assert events_of(target, "melding-termijn-verstreken", scene.id) == []


def test_withdrawn_unpicked_melding_does_not_escalate(
    client: TestClient, scene: Scene, target: DatabaseTarget
) -> None:
    response = client.post(
        f"{scene.url()}/statuswijzigingen", json={"status": "ingetrokken"}, headers=scene.melder
    )
    assert response.status_code == 201, response.text
    overdue(target, scene.id)
    escalate(target)
    assert events_of(target, "melding-termijn-verstreken", scene.id) == []


def test_downtime_catch_up_melding_and_aftercare(
    client: TestClient, scene: Scene, target: DatabaseTarget
) -> None:
    """Deadlines that passed days ago, while no scheduler ran, still get their one event."""
    overdue(target, scene.id, ago=timedelta(days=3))
    other = report(client, scene.melder)
    response = client.post(
        f"{BASE}/meldingen/{other}/nazorgmomenten",
        json={"gepland": "2026-01-05T10:00:00+01:00", "omschrijving": "Bellen met de melder."},
        headers=scene.handler,
    )
    assert response.status_code == 201, response.text
    moment_id = response.json()["id"]
    uitgevoerd = client.post(
        f"{BASE}/meldingen/{other}/nazorgmomenten",
        json={"gepland": "2026-01-06T10:00:00+01:00", "omschrijving": "Tweede gesprek."},
        headers=scene.handler,
    ).json()["id"]
    done = client.patch(
        f"{BASE}/meldingen/{other}/nazorgmomenten/{uitgevoerd}",
        json={"uitgevoerd": True},
        headers=scene.handler,
    )
    assert done.status_code == 200, done.text

    escalate(target)
    escalate(target)
    assert len(events_of(target, "melding-termijn-verstreken", scene.id)) == 1
    assert events_of(target, "melding-termijn-verstreken", other) == []  # not due yet
    [row] = events_of(target, "nazorgmoment-verlopen", moment_id)
    assert row["event"]["data"]["nazorgmomentId"] == moment_id
    assert row["event"]["data"]["gepland"] == "2026-01-05T09:00:00Z"
    assert row["reach"]["melder"] is None
    assert "Bellen" not in json.dumps(row)
    assert events_of(target, "nazorgmoment-verlopen", uitgevoerd) == []


# ---- exactly once under concurrency, in a database of its own -----------------------------


@pytest.fixture
def own_target(backend: Backend, request: pytest.FixtureRequest) -> Iterator[DatabaseTarget]:
    admin = request.getfixturevalue("postgres_admin_url") if backend.is_postgres else None
    with fresh_target(backend, admin) as target:
        upgrade("meldingen", target)
        yield target


def _rows(n: int, deadline: datetime) -> list[dict[str, Any]]:
    now = datetime.now(UTC) - timedelta(days=2)
    return [
        {
            "id": uuid.uuid4(),
            "kenmerk": f"MLD-2026-{900000 + i:06d}",
            "gedragstype": "verward_gedrag",
            "vormen": ["verbaal"],
            "datum_voorval": now,
            "maand_voorval": "2026-11",
            "functie": "raadslid",
            "organisatie": "GM0001",
            "vertrouwelijk": False,
            "acuut_gevaar": False,
            "status": "ontvangen",
            "prioriteit": "normaal",
            "owb_bereik": False,
            "advies": [],
            "aangemaakt_op": now,
            "gewijzigd_op": now,
            "versie": 1,
            "reactie_uiterlijk": deadline - timedelta(seconds=i),
        }
        for i in range(n)
    ]


def test_two_schedulers_at_once_write_exactly_one_event_per_overdue_melding(
    own_target: DatabaseTarget,
) -> None:
    n = 100
    sql(own_target, insert(Melding.__table__).values(_rows(n, datetime.now(UTC))))  # type: ignore[attr-defined]

    async def race() -> list[Uitkomst]:
        # Two engines: two connection pools, as two replicas would have; small batches so
        # the two claim loops interleave.
        async with _sessions(own_target) as one, _sessions(own_target) as two:
            return list(
                await asyncio.gather(
                    run_once(one, batch=7), run_once(two, batch=7), run_once(one, batch=11)
                )
            )

    outcomes = asyncio.run(race())
    assert sum(o.termijn_verstreken for o in outcomes) == n
    events = events_of(own_target, "melding-termijn-verstreken")
    assert len(events) == n
    assert len({e["event"]["subject"] for e in events}) == n
    # A restart (or the CronJob after the replicas) writes none twice.
    assert escalate(own_target).termijn_verstreken == 0
    assert len(events_of(own_target, "melding-termijn-verstreken")) == n
    [marked] = sql(
        own_target,
        select(func.count()).where(Melding.termijn_gemeld_op.is_not(None)),  # type: ignore[union-attr]
    )
    assert marked[0] == n


def test_scheduler_only_takes_what_is_due_at_its_now(own_target: DatabaseTarget) -> None:
    deadline = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    sql(own_target, insert(Melding.__table__).values(_rows(10, deadline)))  # type: ignore[attr-defined]
    # Deadlines at 15:00:00, 14:59:59, …, 14:59:51.
    assert escalate(own_target, now=deadline - timedelta(seconds=5)).termijn_verstreken == 5
    assert escalate(own_target, now=deadline - timedelta(seconds=5)).termijn_verstreken == 0
    assert escalate(own_target, now=deadline).termijn_verstreken == 5
    assert len(events_of(own_target, "melding-termijn-verstreken")) == 10


def test_an_overdue_aftercare_moment_escalates_once_across_concurrent_runs(
    own_target: DatabaseTarget,
) -> None:
    rows = _rows(30, datetime.now(UTC) + timedelta(days=1))  # meldingen themselves not due
    sql(own_target, insert(Melding.__table__).values(rows))  # type: ignore[attr-defined]
    gepland = datetime.now(UTC) - timedelta(hours=1)
    moments = [
        {
            "id": uuid.uuid4(),
            "melding_id": row["id"],
            "gepland": gepland,
            "uitgevoerd": False,
            "automatisch": True,
            "aangemaakt_op": gepland,
        }
        for row in rows
    ]
    sql(own_target, insert(Nazorgmoment.__table__).values(moments))  # type: ignore[attr-defined]

    async def race() -> list[Uitkomst]:
        async with _sessions(own_target) as one, _sessions(own_target) as two:
            return list(await asyncio.gather(run_once(one, batch=4), run_once(two, batch=4)))

    outcomes = asyncio.run(race())
    assert sum(o.nazorg_verlopen for o in outcomes) == 30
    assert sum(o.termijn_verstreken for o in outcomes) == 0
    assert escalate(own_target).nazorg_verlopen == 0
    events = events_of(own_target, "nazorgmoment-verlopen")
    assert sorted(e["event"]["subject"] for e in events) == sorted(str(m["id"]) for m in moments)


def test_migration_backfills_deadline_and_pickup(
    backend: Backend, request: pytest.FixtureRequest
) -> None:
    from alembic import command

    from services.common.migrations import alembic_config
    from tests.meldingen.db import query

    admin = request.getfixturevalue("postgres_admin_url") if backend.is_postgres else None
    with fresh_target(backend, admin) as target:
        config = alembic_config("meldingen", target)
        command.upgrade(config, "0008")
        filed = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)  # Friday 16:00 in Amsterdam
        moved = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
        ids = [uuid.uuid4() for _ in range(3)]

        def key(value: uuid.UUID) -> Any:
            return value if backend.is_postgres else value.hex

        def t(value: datetime) -> Any:
            return value if backend.is_postgres else value.strftime("%Y-%m-%d %H:%M:%S.%f")

        for n, (melding_id, status) in enumerate(
            zip(ids, ("in_behandeling", "ontvangen", "afgehandeld"), strict=True)
        ):
            query(
                target,
                "INSERT INTO meldingen.melding (id, kenmerk, gedragstype, vormen, datum_voorval,"
                " maand_voorval, functie, organisatie, vertrouwelijk, acuut_gevaar, status,"
                " prioriteit, owb_bereik, advies, aangemaakt_op, gewijzigd_op, versie) VALUES"
                " (:id, :kenmerk, 'verward_gedrag', '[]', :t, '2026-12', 'raadslid', 'GM0001',"
                " false, false, :status, 'normaal', false, '[]', :t, :g, 1)",
                id=key(melding_id),
                kenmerk=f"MLD-2026-00000{n}",
                t=t(filed),
                g=t(moved + timedelta(days=1)),
                status=status,
            )
        query(
            target,
            "INSERT INTO meldingen.statuswijziging (id, melding_id, van, naar, rol, tijdstip)"
            " VALUES (:id, :m, 'ontvangen', 'in_behandeling', 'behandelaar', :t)",
            id=key(uuid.uuid4()),
            m=key(ids[0]),
            t=t(moved),
        )
        command.upgrade(config, "head")
        rows = {
            uuid.UUID(str(r["id"])) if backend.is_postgres else uuid.UUID(r["id"]): r
            for r in query(
                target, "SELECT id, reactie_uiterlijk, opgepakt_op FROM meldingen.melding"
            )
        }

        def aware(value: Any) -> datetime | None:
            if value is None:
                return None
            if isinstance(value, str):
                value = datetime.fromisoformat(value)
            return value if value.tzinfo else value.replace(tzinfo=UTC)

        for melding_id in ids:  # Friday 16:00 normaal → Wednesday 16:00
            assert aware(rows[melding_id]["reactie_uiterlijk"]) == datetime(
                2026, 12, 9, 15, 0, tzinfo=UTC
            )
        assert aware(rows[ids[0]]["opgepakt_op"]) == moved  # the recorded first move
        assert rows[ids[1]]["opgepakt_op"] is None  # still waiting
        # Handled, with no recorded move: the last change, a moment the pickup preceded.
        assert aware(rows[ids[2]]["opgepakt_op"]) == moved + timedelta(days=1)
        command.downgrade(config, "0008")
        command.upgrade(config, "head")
        command.check(config)
