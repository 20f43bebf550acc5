"""The base path of a service's API: `/api/<service>/v<major>`, written in one place."""

from __future__ import annotations

import re

_SERVICE = re.compile(r"^[a-z]+$")


def api_base(service: str, major: int = 1) -> str:
    """`api_base("x")` is `/api/x/v1`: the prefix of every route and link of service x."""
    if not _SERVICE.match(service):
        raise ValueError(f"service name {service!r}: lower-case letters only")
    if major < 1:
        raise ValueError("an API major version starts at 1")
    return f"/api/{service}/v{major}"
