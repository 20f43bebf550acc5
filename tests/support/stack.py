"""The whole platform as real processes: every service migrated, seeded and served, and the
gateway in front of them — what `make run` starts, on free loopback ports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import Backend
from tests.e2e.gateway_processes import start_gateway
from tests.support.processes import ROOT, RunningProcess, start_process

SERVICES = ("meldingen", "beveiliging", "kennisbank")
# What `make run` starts besides: notificaties (contract v1.1) is routed by the gateway too.
ALL_SERVICES = (*SERVICES, "notificaties")

# Gateway settings for a stack a fuzzer drives: budgets no fuzz run exhausts, so every answer
# is the contract's and not the limiter's (the limiter stays in the path, and every group that
# gateway/config.py names gets a budget: an unnamed one would fall back to its default). The
# production defaults are untouched; tests/e2e/test_gateway_limits.py holds those.
GENEROUS = "1000/100000"
FUZZ_GATEWAY_SETTINGS = {
    "rate_limits": json.dumps(
        {
            group: GENEROUS
            for group in (
                "*",
                "meldingen-aanmaken",
                "openapi",
                "kennisbank-publiek",
                "statistieken",
                "auth-failures",
            )
        }
    ),
    # A fuzzer's 5xx is a finding to report, not a reason to shut every later case out.
    "breaker_failure_threshold": "1000000",
}


@dataclass
class Stack:
    gateway: RunningProcess
    services: dict[str, RunningProcess]


@contextmanager
def running_stack(
    backend: Backend,
    issuer: str,
    log_dir: Path,
    *,
    services_started: tuple[str, ...] = SERVICES,
    **gateway_settings: str,
) -> Iterator[Stack]:
    """Migrate and seed each service on `backend`, start it, then the gateway before them."""
    env = {**backend.env(), "WEERBAAR_OIDC_ISSUER": issuer, "WEERBAAR_ENV": "test"}
    services: dict[str, RunningProcess] = {}
    try:
        for service in services_started:
            backend.migrate(service)
            subprocess.run(  # the same seed command `make run` uses
                [sys.executable, "-m", f"services.{service}", "seed"],
                cwd=ROOT,
                env={**os.environ, **env},
                check=True,
                capture_output=True,
                timeout=120,
            )
            services[service] = start_process(
                service, [f"services.{service}", "serve"], env=env, log_dir=log_dir
            )
        gateway = start_gateway(
            log_dir,
            issuer,
            {name: process.url for name, process in services.items()},
            ready_path="/health/ready",
            **gateway_settings,
        )
        try:
            yield Stack(gateway, services)
        finally:
            gateway.stop()
    finally:
        for process in services.values():
            process.stop()
