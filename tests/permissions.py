"""The role × endpoint table and the tenancy matrix of every service, as shared test data.

Each row says: this role, in this situation, calling this endpoint, gets this status. Every
service keeps its rows in its own module (`tests/<service>/permissions.py`, a list named
`ROWS`) and lists that module in `SERVICE_MODULES` below; its `test_permissions.py` arranges
the situations and runs its rows over HTTP. The rows are data, so a reviewer can read who may
do what without reading test code.

Situations are words each service defines for itself (meldingen: `eigen`, `zelfde_org`,
`andere_org`, `owb`, `vertrouwelijk_owb`, …); the service's module documents them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# One module per service; a new service adds its own here.
SERVICE_MODULES = (
    "tests.meldingen.permissions",
    "tests.beveiliging.permissions",
    "tests.kennisbank.permissions",
)


@dataclass(frozen=True)
class Row:
    service: str
    method: str
    path: str  # a template: `{id}` is filled in by the service's arrange step
    role: str
    situation: str
    expected: int
    action: str = ""  # a short name when one path serves several actions (status changes)
    body: Mapping[str, Any] | None = field(default=None, hash=False, compare=False)

    @property
    def id(self) -> str:
        action = f" [{self.action}]" if self.action else ""
        return f"{self.method} {self.path}{action} {self.role} {self.situation} -> {self.expected}"


def rows(service: str | None = None) -> list[Row]:
    """Every row of every service, or of one service."""
    collected: list[Row] = []
    for module_name in SERVICE_MODULES:
        collected.extend(importlib.import_module(module_name).ROWS)
    return [row for row in collected if service is None or row.service == service]
