"""``python -m gateway serve``: the front door on port 8000."""

from __future__ import annotations

import argparse

import uvicorn

from gateway.config import GatewaySettings
from services.common.serving import GuardedHttpToolsProtocol


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway")
    parser.add_argument("command", choices=["serve"])
    parser.parse_args()
    settings = GatewaySettings()
    uvicorn.run(
        "gateway.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=None,
        access_log=False,  # the gateway's own access line has no query string
        proxy_headers=False,  # X-Forwarded-* are judged by WEERBAAR_TRUSTED_PROXIES
        server_header=False,
        http=GuardedHttpToolsProtocol,  # limits on the request head (size, count, time)
        timeout_graceful_shutdown=10,
    )


if __name__ == "__main__":
    main()
