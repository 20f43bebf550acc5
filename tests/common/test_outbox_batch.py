"""`record_events`: many events in one transaction, written together, in the order given.

On both databases, with the meldingen outbox: the rows commit with the change (or vanish with
its rollback), get `seq` in the order recorded (the relay's publish order), carry envelopes
equal to what `record_event` builds, and the commit wakes the relay once.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from services.common.db import DatabaseTarget, create_engine_for, session_factory
from services.common.outbox import NewEvent, outbox_session_info, record_event, record_events
from services.meldingen.events import uitgaande_gebeurtenis
from tests.conftest import Backend

T = uitgaande_gebeurtenis
MOMENT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _events(n: int, marker: str) -> list[NewEvent]:
    return [
        NewEvent(
            type="melding-termijn-verstreken",
            subject=f"{marker}-{i}",
            path=f"/api/meldingen/v1/meldingen/{marker}-{i}",
            data={"volgorde": i, "reactieUiterlijk": MOMENT},
            reach={"organisatie": "GM0363", "melder": None},
            time=MOMENT,
        )
        for i in range(n)
    ]


async def _scenario(target: DatabaseTarget, marker: str, commit: bool) -> dict[str, Any]:
    engine = create_engine_for(target, pool_size=1)
    woken: list[bool] = []
    sessions = session_factory(engine)
    sessions.configure(
        info=outbox_session_info(
            public_base_url="https://api.example.nl/", wakeup=lambda: woken.append(True)
        )
    )
    try:
        async with sessions() as session:
            recorded = record_events(session, _events(250, marker), table=T, service="meldingen")
            single = record_event(
                session,
                table=T,
                service="meldingen",
                type="melding-termijn-verstreken",
                subject=f"{marker}-single",
                path=f"/api/meldingen/v1/meldingen/{marker}-single",
                data={"volgorde": 250},
                reach={},
            )
            assert record_events(session, [], table=T, service="meldingen") == []
            if commit:
                await session.commit()
            else:
                await session.rollback()
        async with sessions() as session:
            rows = (
                await session.execute(
                    select(T.c.event_id, T.c.subject, T.c.envelope, T.c.reach, T.c.published_at)
                    .where(T.c.envelope.contains(f'"{marker}-'))
                    .order_by(T.c.seq)
                )
            ).all()
        return {"recorded": [*recorded, single], "rows": rows, "woken": len(woken)}
    finally:
        await engine.dispose()


@pytest.mark.parametrize("commit", [True, False], ids=["committed", "rolled_back"])
def test_many_events_commit_together_in_the_order_given(backend: Backend, commit: bool) -> None:
    marker = f"batch{int(commit)}{backend.name}"
    outcome = asyncio.run(_scenario(backend.migrate("meldingen"), marker, commit))
    recorded, rows = outcome["recorded"], outcome["rows"]
    assert len(recorded) == 251
    if not commit:
        assert rows == []
        assert outcome["woken"] == 0
        return
    assert outcome["woken"] == 1
    assert [row.event_id for row in rows] == [event.id for event in recorded]  # seq order
    envelopes = [json.loads(row.envelope) for row in rows]
    assert [e["data"]["volgorde"] for e in envelopes] == list(range(251))
    assert envelopes == [event.envelope for event in recorded]
    first = envelopes[0]
    assert first["type"] == "nl.weerbaarbestuur.meldingen.melding-termijn-verstreken"
    assert first["time"] == "2026-11-30T09:00:00Z"
    assert first["data"]["reactieUiterlijk"] == "2026-11-30T09:00:00Z"
    assert first["dataref"] == f"https://api.example.nl/api/meldingen/v1/meldingen/{marker}-0"
    assert {row.subject for row in rows} == {"weerbaar.meldingen.melding-termijn-verstreken"}
    assert json.loads(rows[0].reach) == {"melder": None, "organisatie": "GM0363"}
    assert all(row.published_at is None for row in rows)


def test_record_events_refuses_a_session_without_outbox_info(backend: Backend) -> None:
    target = backend.migrate("meldingen")

    async def attempt() -> None:
        engine = create_engine_for(target, pool_size=1)
        try:
            async with session_factory(engine)() as session:
                record_events(session, _events(1, "x"), table=T, service="meldingen")
        finally:
            await engine.dispose()

    with pytest.raises(RuntimeError, match="outbox info"):
        asyncio.run(attempt())
