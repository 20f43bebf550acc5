"""The HEAD rule as an assertion: GET's status and headers, and no body."""

from __future__ import annotations

from collections.abc import Collection

import httpx
from fastapi.testclient import TestClient

# Headers that differ between any two answers, HEAD or not.
PER_ANSWER = frozenset({"x-request-id", "date"})


def assert_head_is_get(
    client: TestClient | httpx.Client,
    path: str,
    headers: dict[str, str] | None = None,
    *,
    varying: Collection[str] = PER_ANSWER,
) -> httpx.Response:
    """HEAD answers GET's status and headers with an empty body; returns the GET answer."""
    got = client.get(path, headers=headers)
    head = client.head(path, headers=headers)
    assert head.status_code == got.status_code, (path, head.status_code, got.status_code)
    assert head.content == b"", path
    expected = {k: v for k, v in got.headers.items() if k not in varying}
    answered = {k: v for k, v in head.headers.items() if k not in varying}
    assert answered == expected, path
    assert int(head.headers["content-length"]) == len(got.content), path
    return got
