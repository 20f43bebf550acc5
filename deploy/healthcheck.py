"""Container health check of the Weerbaar Bestuur image (standard library only).

Asks ``GET /health/ready`` of the process this container runs. The port is
``WEERBAAR_PORT`` when set, else the default port of the process found on
PID 1's command line (``python -m services.meldingen serve`` → 8001). A
container running a one-shot command (migrate, seed, retention) has nothing
to ask and counts as healthy while it runs.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

DEFAULT_PORTS = {
    "gateway": 8000,
    "services.meldingen": 8001,
    "services.beveiliging": 8002,
    "services.kennisbank": 8003,
}


def served_port(cmdline: list[str]) -> int | None:
    """The port of a ``python -m <module> serve`` command line, else None."""
    port = os.environ.get("WEERBAAR_PORT")
    if "serve" not in cmdline or "-m" not in cmdline:
        return None
    if port:
        return int(port)
    index = cmdline.index("-m") + 1
    return DEFAULT_PORTS.get(cmdline[index]) if index < len(cmdline) else None


def pid1_cmdline() -> list[str]:
    try:
        with open("/proc/1/cmdline", "rb") as handle:
            raw = handle.read()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def main() -> int:
    port = served_port(pid1_cmdline())
    if port is None:
        return 0
    url = f"http://127.0.0.1:{port}/health/ready"
    # No proxy for loopback, whatever the environment says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=4) as response:
            healthy = bool(response.status == 200)
    except (urllib.error.URLError, OSError) as error:
        print(f"unhealthy: {url}: {error}", file=sys.stderr)
        return 1
    if not healthy:
        print(f"unhealthy: {url}: status {response.status}", file=sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
