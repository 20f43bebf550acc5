"""The gateway and stand-in upstreams as real processes, on the lead's process harness."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tests.support.processes import RunningProcess, free_port, start_process

if TYPE_CHECKING:
    from tests.conftest import Backend


@dataclass
class GatewayProcess(RunningProcess):
    """A running gateway and the loopback port of its metrics listener."""

    metrics_port: int = 0

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.metrics_port}/metrics"


def echo_upstream(service: str, log_dir: Path, port: int | None = None) -> RunningProcess:
    """A stand-in for ``service`` (see echo_upstream.py); ``port`` to come back on the same one."""
    return start_process(
        f"echo-{service}", ["tests.e2e.echo_upstream", service], env={}, log_dir=log_dir, port=port
    )


def start_gateway(
    log_dir: Path,
    issuer: str,
    upstreams: Mapping[str, str],
    *,
    port: int | None = None,
    ready_path: str = "/health/live",
    **settings: str,
) -> GatewayProcess:
    """``python -m gateway serve`` in front of ``upstreams`` (name → URL); others not routed.

    ``settings`` become ``WEERBAAR_<NAME>`` variables, e.g. ``upstream_total_timeout="1.5"``.
    The metrics listener gets a free port of its own unless ``metrics_port`` is given.
    """
    metrics_port = int(settings.pop("metrics_port", 0)) or free_port()
    env = {
        "WEERBAAR_METRICS_PORT": str(metrics_port),
        "WEERBAAR_OIDC_ISSUER": issuer,
        "WEERBAAR_ENV": "test",
        "WEERBAAR_MELDINGEN_URL": upstreams.get("meldingen", ""),
        "WEERBAAR_BEVEILIGING_URL": upstreams.get("beveiliging", ""),
        "WEERBAAR_KENNISBANK_URL": upstreams.get("kennisbank", ""),
        "WEERBAAR_NOTIFICATIES_URL": upstreams.get("notificaties", ""),
        **{f"WEERBAAR_{key.upper()}": value for key, value in settings.items()},
    }
    running = start_process(
        "gateway", ["gateway", "serve"], env=env, log_dir=log_dir, port=port, ready_path=ready_path
    )
    return GatewayProcess(
        running.name, running.port, running.process, running.log_path, metrics_port=metrics_port
    )


def start_meldingen(
    backend: Backend, issuer: str, log_dir: Path, env: Mapping[str, str] | None = None
) -> RunningProcess:
    """``python -m services.meldingen serve`` on ``backend``, migrated, trusting ``issuer``."""
    backend.migrate("meldingen")
    return start_process(
        "meldingen",
        ["services.meldingen", "serve"],
        env={
            **backend.env(),
            "WEERBAAR_OIDC_ISSUER": issuer,
            "WEERBAAR_ENV": "test",
            **(env or {}),
        },
        log_dir=log_dir,
        ready_path="/health/ready",
    )
