"""`python -m services.meldingen <command>`: serve, migrate, relay, retention, escalate, …"""

from __future__ import annotations

import asyncio

from services.common.cli import run_cli
from services.common.migrations import upgrade
from services.common.settings import CommonSettings
from services.meldingen.config import MeldingenSettings
from services.meldingen.retentie.service import maintenance_target, run_retention, run_rotation
from services.meldingen.statistiek.service import run_herbouw


def migrate(settings: CommonSettings) -> None:
    """Upgrade the schema, then rebuild the statistics rollups from the meldingen.

    The rollups follow the code's rollup definitions, which a release may change: rebuilding
    at every migrate keeps them equal to what the code expects (seconds at a million rows;
    creates wait for it, they are not lost).
    """
    upgrade("meldingen")
    asyncio.run(statistiek_herbouw(settings))


async def statistiek_herbouw(settings: CommonSettings) -> None:
    """Recompute the statistics rollups from the meldingen (idempotent)."""
    assert isinstance(settings, MeldingenSettings)
    rijen = await run_herbouw(maintenance_target(settings))
    for naam, n in rijen.items():
        print(f"statistiek-herbouw: {naam}: {n} rijen")


def seed(_settings: object) -> None:
    """Meldingen ships no seed data: reports come from people, never from fixtures."""


async def retention(settings: CommonSettings) -> None:
    """Anonymise meldingen closed longer than the retention period ago (schedule it daily)."""
    assert isinstance(settings, MeldingenSettings)
    await run_retention(settings)


async def rotate_keys(settings: CommonSettings) -> None:
    """Re-encrypt every stored value under the first key of WEERBAAR_DATA_KEYS."""
    assert isinstance(settings, MeldingenSettings)
    await run_rotation(settings)


async def relay(settings: CommonSettings) -> None:
    """Publish the outbox to NATS apart from the API processes (WEERBAAR_OUTBOX_RELAY=false)."""
    from services.common.relay import run_standalone
    from services.meldingen.db import SCHEMA
    from services.meldingen.events import uitgaande_gebeurtenis

    assert isinstance(settings, MeldingenSettings)
    await run_standalone(settings, service="meldingen", schema=SCHEMA, table=uitgaande_gebeurtenis)


async def escalate(settings: CommonSettings) -> None:
    """One escalation run (for a CronJob): every missed deadline and overdue aftercare moment
    not yet reported gets its one event; safe beside the in-process schedulers."""
    from services.common.db import create_engine_for, database_target, session_factory
    from services.common.outbox import outbox_session_info
    from services.meldingen.db import SCHEMA
    from services.meldingen.termijn.scheduler import run_once

    assert isinstance(settings, MeldingenSettings)
    engine = create_engine_for(
        database_target(settings, service="meldingen", schema=SCHEMA), pool_size=2
    )
    try:
        sessions = session_factory(engine)
        # NOTIFY wakes a relay run apart; in-process relays pick the rows up at their poll.
        sessions.configure(
            info=outbox_session_info(public_base_url=settings.event_base_url, notify=True)
        )
        uitkomst = await run_once(sessions)
        print(
            f"escalate: {uitkomst.termijn_verstreken} melding-termijn-verstreken, "
            f"{uitkomst.nazorg_verlopen} nazorgmoment-verlopen"
        )
    finally:
        await engine.dispose()


if __name__ == "__main__":
    run_cli(
        app_path="services.meldingen.app:create_app",
        load_settings=MeldingenSettings,
        commands={
            "migrate": migrate,
            "seed": seed,
            "retention": retention,
            "rotate-keys": rotate_keys,
            "statistiek-herbouw": statistiek_herbouw,
            "relay": relay,
            "escalate": escalate,
        },
    )
