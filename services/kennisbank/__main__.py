"""`python -m services.kennisbank serve|migrate|seed|relay`."""

from __future__ import annotations

from services.common.cli import run_cli
from services.common.migrations import upgrade
from services.common.settings import ServiceSettings
from services.kennisbank.config import KennisbankSettings
from services.kennisbank.seed.load import seed


def migrate(_settings: ServiceSettings) -> None:
    upgrade("kennisbank")


async def seed_command(settings: ServiceSettings) -> None:
    nieuw = await seed(settings)
    print(f"kennisbank seed: {nieuw} nieuwe artikelen")


async def relay(settings: ServiceSettings) -> None:
    """Publish the outbox to NATS apart from the API processes (WEERBAAR_OUTBOX_RELAY=false)."""
    from services.common.relay import run_standalone
    from services.kennisbank.db import SCHEMA
    from services.kennisbank.events import uitgaande_gebeurtenis

    await run_standalone(settings, service="kennisbank", schema=SCHEMA, table=uitgaande_gebeurtenis)


if __name__ == "__main__":
    run_cli(
        app_path="services.kennisbank.app:create_app",
        load_settings=KennisbankSettings,
        commands={"migrate": migrate, "seed": seed_command, "relay": relay},
    )
