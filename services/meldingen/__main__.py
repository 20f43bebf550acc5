"""`python -m services.meldingen serve|migrate|seed`."""

from __future__ import annotations

from services.common.cli import run_cli
from services.common.migrations import upgrade
from services.meldingen.config import MeldingenSettings


def migrate(_settings: object) -> None:
    upgrade("meldingen")


def seed(_settings: object) -> None:
    """Meldingen ships no seed data: reports come from people, never from fixtures."""


if __name__ == "__main__":
    run_cli(
        app_path="services.meldingen.app:create_app",
        load_settings=MeldingenSettings,
        commands={"migrate": migrate, "seed": seed},
    )
