"""`python -m services.<svc> serve|migrate|seed|…`: one entry point per service image."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import uvicorn

from services.common.serving import GuardedHttpToolsProtocol
from services.common.settings import CommonSettings, SecretFileError

SettingsT = TypeVar("SettingsT", bound=CommonSettings)


def serve(app_path: str, settings: CommonSettings) -> None:
    uvicorn.run(
        app_path,
        factory=True,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,  # our access line has no query string
        proxy_headers=False,  # see services.common.links: forwarded headers from trusted peers
        server_header=False,
        http=GuardedHttpToolsProtocol,  # limits on the request head (size, count, time)
        timeout_graceful_shutdown=10,
    )


def run_cli(
    *,
    app_path: str,
    load_settings: Callable[[], SettingsT],
    commands: dict[str, Callable[[SettingsT], Awaitable[None] | None]],
) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["serve", *commands])
    args = parser.parse_args()
    try:
        settings = load_settings()
    except SecretFileError as exc:  # a deployment mistake: say which, without a traceback
        raise SystemExit(f"refusing to start: {exc}") from None
    if args.command == "serve":
        serve(app_path, settings)
        return
    result = commands[args.command](settings)
    if asyncio.iscoroutine(result):
        asyncio.run(result)
