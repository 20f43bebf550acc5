"""`python -m services.notificaties serve|migrate|seed|consume`.

`consume` runs the stream consumer and the deliverer without the HTTP API, for deployments
that scale them apart; then give the API WEERBAAR_WORKER=false.
"""

from __future__ import annotations

import asyncio
import signal

from services.common.cli import run_cli
from services.common.crypto import load_key_ring
from services.common.db import create_engine_for, database_target, session_factory
from services.common.logging import configure_logging
from services.common.migrations import upgrade
from services.notificaties import worker
from services.notificaties.config import NotificatiesSettings
from services.notificaties.db import SCHEMA


def migrate(_settings: NotificatiesSettings) -> None:
    upgrade("notificaties")


def seed(_settings: NotificatiesSettings) -> None:
    print("notificaties seed: niets te zaaien")


async def consume(settings: NotificatiesSettings) -> None:
    configure_logging("notificaties", settings.log_level)
    key_ring = load_key_ring(settings)
    target = database_target(settings, service="notificaties", schema=SCHEMA)
    engine = create_engine_for(target, pool_size=settings.db_pool_size)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with worker.running(session_factory(engine), settings, key_ring):
            await stop.wait()
    finally:
        await engine.dispose()


if __name__ == "__main__":
    run_cli(
        app_path="services.notificaties.app:create_app",
        load_settings=NotificatiesSettings,
        commands={"migrate": migrate, "seed": seed, "consume": consume},
    )
