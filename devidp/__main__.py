"""`python -m devidp serve`: the development identity provider on port 8010."""

from __future__ import annotations

import argparse

from devidp.config import DevIdpSettings
from services.common.cli import serve


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["serve"])
    parser.parse_args()
    settings = DevIdpSettings()
    serve("devidp.app:create_app", settings)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
