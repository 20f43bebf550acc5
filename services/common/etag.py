"""ETags of versioned rows and the `If-Match` precondition (no HTTP imports: service modules
call it).

- A row's ETag is `"<first 12 hex digits of its id>-<version>"`, a strong tag.
- `If-Match` is a comma-separated list (RFC 9110 §13.1.1): it passes when it is absent, when
  it holds `*`, or when one of its tags equals the current one. Comparison is strong, as
  If-Match demands: a weak tag (`W/"…"`) never matches. Otherwise 412 `verouderde-versie`.
"""

from __future__ import annotations

import uuid

from services.common.problems import PreconditionFailed

IF_MATCH_MAX_LENGTH = 200  # the header's limit at the edge; longer is a 400


def version_etag(row_id: uuid.UUID, version: int) -> str:
    """The strong ETag of a versioned row."""
    return f'"{row_id.hex[:12]}-{version}"'


def if_match_tags(header: str) -> frozenset[str]:
    """The entity tags an `If-Match` header lists (`*` included as is)."""
    return frozenset(tag for tag in (part.strip() for part in header.split(",")) if tag)


def if_match_passes(header: str | None, current: str) -> bool:
    """Does this `If-Match` (None: absent) allow a change of the version tagged `current`?"""
    if header is None:
        return True
    tags = if_match_tags(header)
    return "*" in tags or current in tags


def require_if_match(header: str | None, current: str, detail: str) -> None:
    """Raise `PreconditionFailed` (412) unless `if_match_passes`."""
    if not if_match_passes(header, current):
        raise PreconditionFailed(detail)
