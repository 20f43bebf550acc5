"""`python -m services.beveiliging serve|migrate|seed|relay`."""

from __future__ import annotations

from services.beveiliging.config import BeveiligingSettings
from services.common.cli import run_cli
from services.common.migrations import upgrade
from services.common.settings import CommonSettings


def migrate(_settings: object) -> None:
    upgrade("beveiliging")


async def seed(settings: CommonSettings) -> None:
    from services.beveiliging.seed import seed as seed_catalogus

    assert isinstance(settings, BeveiligingSettings)
    toegevoegd = await seed_catalogus(settings)
    print(f"beveiliging: {toegevoegd} maatregelen toegevoegd")


async def relay(settings: CommonSettings) -> None:
    """Publish the outbox to NATS apart from the API processes (WEERBAAR_OUTBOX_RELAY=false)."""
    from services.beveiliging.db import SCHEMA
    from services.beveiliging.events import uitgaande_gebeurtenis
    from services.common.relay import run_standalone

    assert isinstance(settings, BeveiligingSettings)
    await run_standalone(
        settings, service="beveiliging", schema=SCHEMA, table=uitgaande_gebeurtenis
    )


if __name__ == "__main__":
    run_cli(
        app_path="services.beveiliging.app:create_app",
        load_settings=BeveiligingSettings,
        commands={"migrate": migrate, "seed": seed, "relay": relay},
    )
