"""The outbox helper: the event commits or rolls back with its change, and a commit wakes.

Runs the real meldingen create rule in a session of our own, on both databases.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from services.common.crypto import load_key_ring
from services.common.db import DatabaseTarget, create_engine_for, session_factory
from services.common.outbox import outbox_session_info, record_event
from services.common.principal import Principal
from services.common.relay import OutboxRelay
from services.meldingen.config import MeldingenSettings
from services.meldingen.events import uitgaande_gebeurtenis
from services.meldingen.melding import service
from services.meldingen.melding.models import Melding
from services.meldingen.melding.schemas import MeldingCreate
from tests.conftest import Backend

T = uitgaande_gebeurtenis


def _data() -> MeldingCreate:
    return MeldingCreate.model_validate(
        {
            "gedragstype": "frustratie_agressie",
            "vormen": ["verbaal"],
            "omschrijving": "Geschreeuw aan de balie.",
            "datumVoorval": datetime(2026, 11, 20, 20, 0, tzinfo=UTC).isoformat(),
            "functie": "wethouder",
        }
    )


async def _scenario(backend: Backend, target: DatabaseTarget, commit: bool) -> dict[str, Any]:
    settings = MeldingenSettings(**backend.settings_kwargs(), env="test")
    engine = create_engine_for(target, pool_size=2)
    woken: list[bool] = []
    sessions = session_factory(engine)
    sessions.configure(
        info=outbox_session_info(
            public_base_url="https://api.example.nl/", wakeup=lambda: woken.append(True)
        )
    )
    caller = Principal(
        sub=f"melder-{uuid.uuid4().hex[:8]}", org="GM0363", roles=frozenset({"melder"})
    )
    try:
        async with sessions() as session:
            outcome = await service.create_melding(
                session,
                key_ring=load_key_ring(settings),
                caller=caller,
                data=_data(),
                idempotency_key=None,
                idempotency_hours=24,
            )
            if commit:
                await session.commit()
            else:
                await session.rollback()
        async with sessions() as session:
            meldingen = await session.scalar(
                select(func.count()).select_from(Melding).where(Melding.id == outcome.melding_id)
            )
            envelopes = (
                await session.scalars(
                    select(T.c.envelope).where(T.c.envelope.contains(str(outcome.melding_id)))
                )
            ).all()
        return {"meldingen": meldingen, "envelopes": envelopes, "woken": len(woken)}
    finally:
        await engine.dispose()


@pytest.mark.parametrize("commit", [True, False], ids=["committed", "rolled_back"])
def test_the_event_shares_the_fate_of_its_change(backend: Backend, commit: bool) -> None:
    target = backend.migrate("meldingen")
    outcome = asyncio.run(_scenario(backend, target, commit))
    if commit:
        assert outcome["meldingen"] == 1
        assert len(outcome["envelopes"]) == 1
        assert (
            '"dataref": "https://api.example.nl/api/meldingen/v1/meldingen/'
            in (outcome["envelopes"][0])
        )
        assert outcome["woken"] == 1  # the commit woke the relay, no poll needed
    else:
        assert outcome["meldingen"] == 0
        assert outcome["envelopes"] == []
        assert outcome["woken"] == 0


def test_a_session_without_outbox_info_refuses_to_drop_an_event(backend: Backend) -> None:
    target = backend.migrate("meldingen")

    async def attempt() -> None:
        engine = create_engine_for(target, pool_size=1)
        try:
            async with session_factory(engine)() as session:
                record_event(
                    session,
                    table=T,
                    service="meldingen",
                    type="proef",
                    subject="x",
                    path="/x",
                    data={},
                    reach={},
                )
        finally:
            await engine.dispose()

    with pytest.raises(RuntimeError, match="outbox info"):
        asyncio.run(attempt())


def test_prune_deletes_only_rows_published_long_enough_ago(backend: Backend) -> None:
    target = backend.migrate("meldingen")
    marker = f"prune-{uuid.uuid4().hex[:8]}"

    async def scenario() -> list[str]:
        settings = MeldingenSettings(
            **backend.settings_kwargs(), env="test", outbox_prune_seconds=60
        )
        engine = create_engine_for(target, pool_size=1)
        sessions = session_factory(engine)
        sessions.configure(info=outbox_session_info(public_base_url="http://127.0.0.1:8000"))
        try:
            async with sessions() as session:
                for name in ("old", "recent", "unpublished"):
                    record_event(
                        session,
                        table=T,
                        service="meldingen",
                        type=marker,
                        subject=name,
                        path="/x",
                        data={},
                        reach={},
                    )
                await session.commit()
            now = datetime.now(UTC)
            async with sessions() as session, session.begin():
                for name, published in (("old", now - timedelta(hours=1)), ("recent", now)):
                    await session.execute(
                        update(T)
                        .where(T.c.subject.endswith(marker), T.c.envelope.contains(f'"{name}"'))
                        .values(published_at=published)
                    )
            await OutboxRelay("meldingen", T, sessions, settings).prune()
            async with sessions() as session:
                left = (
                    await session.scalars(select(T.c.envelope).where(T.c.subject.endswith(marker)))
                ).all()
            return sorted(e.split('"subject": "')[1].split('"')[0] for e in left)
        finally:
            await engine.dispose()

    assert asyncio.run(scenario()) == ["recent", "unpublished"]
