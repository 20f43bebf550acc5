"""Reading a service's outbox back in tests, and searching envelopes for what may not be there."""

from __future__ import annotations

import json
from typing import Any

from services.common.db import DatabaseTarget
from tests.meldingen.db import query


def outbox_events(target: DatabaseTarget, subjects: set[str]) -> list[dict[str, Any]]:
    """The outbox rows whose CloudEvent `subject` is one of `subjects`, oldest first."""
    rows = query(
        target,
        f"SELECT seq, event_id, subject, envelope, reach, published_at "
        f"FROM {target.schema}.uitgaande_gebeurtenis ORDER BY seq",
    )
    out = []
    for row in rows:
        event = json.loads(row["envelope"])
        if event["subject"] in subjects:
            out.append({**dict(row), "event": event, "reach": json.loads(row["reach"])})
    return out


def all_strings(value: Any) -> list[str]:
    """Every key and string value anywhere in a JSON document."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *all_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in all_strings(item)]
    return [value] if isinstance(value, str) else []


def assert_absent(event: dict[str, Any], secrets: list[str]) -> None:
    strings = all_strings(event)
    for secret in secrets:
        assert secret, "an empty secret proves nothing"
        assert not any(secret in s for s in strings), (event["type"], secret)
