"""`python -m services.notificaties serve|migrate|seed|consume`."""

from __future__ import annotations

from services.common.cli import run_cli
from services.common.migrations import upgrade
from services.common.settings import ServiceSettings
from services.notificaties.config import NotificatiesSettings


def migrate(_settings: ServiceSettings) -> None:
    upgrade("notificaties")


def seed(_settings: ServiceSettings) -> None:
    print("notificaties seed: niets te zaaien")


if __name__ == "__main__":
    run_cli(
        app_path="services.notificaties.app:create_app",
        load_settings=NotificatiesSettings,
        commands={"migrate": migrate, "seed": seed},
    )
