"""``python -m gateway serve``: the front door on port 8000, its metrics on a port of their own.

One uvicorn server listens on two sockets: the public one (``WEERBAAR_HOST``/``PORT``) and
the metrics one (``WEERBAAR_METRICS_HOST``/``METRICS_PORT``, loopback by default). The app
answers ``/metrics`` only on the second and nothing else there (see gateway.app).
"""

from __future__ import annotations

import argparse
import socket
import sys

import uvicorn
from uvicorn.supervisors import Multiprocess

from gateway.config import GatewaySettings
from gateway.serving import GatewayHttpProtocol


def bind(host: str, port: int) -> socket.socket:
    """A listening socket the way uvicorn binds its own (inheritable for worker processes)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family=family)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SystemExit(f"gateway: cannot listen on {host}:{port}: {exc}") from exc
    sock.set_inheritable(True)
    return sock


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway")
    parser.add_argument("command", choices=["serve"])
    parser.parse_args()
    settings = GatewaySettings()
    config = uvicorn.Config(
        "gateway.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=None,
        access_log=False,  # the gateway's own access line has no query string
        proxy_headers=False,  # X-Forwarded-* are judged by WEERBAAR_TRUSTED_PROXIES
        server_header=False,
        http=GatewayHttpProtocol,  # limits on the request head; 413 past Content-Length
        timeout_graceful_shutdown=10,
    )
    sockets = [
        bind(settings.host, settings.port),
        bind(settings.metrics_host, settings.metrics_port),
    ]
    server = uvicorn.Server(config)
    if config.workers > 1:
        Multiprocess(config, sockets=sockets).run()
    else:
        server.run(sockets=sockets)
        if not server.started:
            sys.exit(3)  # uvicorn's STARTUP_FAILURE


if __name__ == "__main__":
    main()
