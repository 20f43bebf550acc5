"""ETag / If-Match: lists, `*`, strong comparison, and the 412 through a real app."""

from __future__ import annotations

import uuid
from typing import Annotated

import pytest
from fastapi import FastAPI, Header
from fastapi.testclient import TestClient

from services.common.etag import (
    IF_MATCH_MAX_LENGTH,
    if_match_passes,
    if_match_tags,
    require_if_match,
    version_etag,
)
from services.common.problems import PreconditionFailed, install_problem_handlers

ROW = uuid.UUID("0123456789abcdef0123456789abcdef")
CURRENT = version_etag(ROW, 3)


def test_the_etag_format_is_unchanged() -> None:
    # The format both services answer today; clients hold these tags.
    assert CURRENT == '"0123456789ab-3"'


@pytest.mark.parametrize(
    ("header", "passes"),
    [
        (None, True),
        ("*", True),
        (CURRENT, True),
        (f"  {CURRENT}  ", True),
        (f'"other-1", {CURRENT}', True),
        (f'"other-1",{CURRENT},"x"', True),
        ('"other-1", *', True),
        ('"0123456789ab-2"', False),
        (f"W/{CURRENT}", False),
        ('"0123456789ab-3', False),
        ("", False),
        (",", False),
        ("0123456789ab-3", False),
    ],
)
def test_if_match(header: str | None, passes: bool) -> None:
    assert if_match_passes(header, CURRENT) is passes
    if passes:
        require_if_match(header, CURRENT, "stale")
    else:
        with pytest.raises(PreconditionFailed, match="stale"):
            require_if_match(header, CURRENT, "stale")


def test_tags_are_split_and_stripped() -> None:
    assert if_match_tags(' "a" ,, W/"b",* ') == {'"a"', 'W/"b"', "*"}


def _client() -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)

    @app.patch("/things/{row_id}")
    async def change(
        row_id: uuid.UUID,
        if_match: Annotated[
            str | None, Header(alias="If-Match", max_length=IF_MATCH_MAX_LENGTH)
        ] = None,
    ) -> dict[str, str]:
        require_if_match(if_match, version_etag(row_id, 3), "Intussen gewijzigd.")
        return {}

    return TestClient(app)


def test_a_stale_list_is_the_412_problem() -> None:
    with _client() as client:
        stale = client.patch(f"/things/{ROW}", headers={"If-Match": '"a-1", "b-2"'})
        fresh = client.patch(f"/things/{ROW}", headers={"If-Match": f'"a-1", {CURRENT}'})
    assert stale.status_code == 412
    assert stale.json()["type"] == "urn:weerbaar:probleem:verouderde-versie"
    assert stale.json()["detail"] == "Intussen gewijzigd."
    assert fresh.status_code == 200, fresh.text
