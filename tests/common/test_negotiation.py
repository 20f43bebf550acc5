"""Accept negotiation (RFC 9110 §12.5.1): q-values, wildcards, specificity, and 406."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.common.negotiation import NotAcceptable, negotiate

JSON = "application/json"
CSV = "text/csv; charset=utf-8"
OFFERS = (JSON, CSV)


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, JSON),
        ("", JSON),
        ("  ", JSON),
        ("*/*", JSON),  # equal preference: the first offer
        ("application/*", JSON),
        ("application/json", JSON),
        ("text/*", CSV),
        ("text/csv", CSV),
        ("TEXT/CSV", CSV),
        ("text/csv; charset=utf-8", CSV),
        ("text/csv, application/json", JSON),  # the order in the field does not count
        ("text/csv;q=0.5, application/json;q=0.4", CSV),
        ("application/json;q=0.1, text/csv", CSV),
        ("text/csv;q=0.9, */*;q=0.1", CSV),
        ("text/csv, */*", CSV),  # same q: the more specific range wins
        ("application/xml, */*;q=0.1", JSON),
        ("text/csv;q=0, */*", JSON),  # q=0: never CSV
        ("text/html, text/*;q=0.5", CSV),
    ],
)
def test_the_preferred_offer_is_chosen(accept: str | None, chosen: str) -> None:
    assert negotiate(accept, OFFERS) == chosen


@pytest.mark.parametrize(
    "accept",
    [
        "application/xml",
        "text/html",
        "application/problem+json",
        "image/*",
        "*/*;q=0",
        "text/csv;q=0, application/json;q=0",
        "text/csv;q=0, text/*",  # the specific range refuses what the wildcard would give
        "text/csv; charset=latin-1",  # CSV exists in UTF-8 only
        "garbage",
        "text/csv;q=abc",  # a malformed entry drops out, and nothing is left
        "*/csv",
        ";;;,,,",
        '"',
    ],
)
def test_an_accept_without_any_offer_is_406_naming_them(accept: str) -> None:
    with pytest.raises(NotAcceptable) as refused:
        negotiate(accept, OFFERS)
    assert refused.value.status == 406
    assert JSON in refused.value.detail
    assert CSV in refused.value.detail


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="latin-1"), max_size=200))
def test_any_accept_is_an_offer_or_406_never_an_error(accept: str) -> None:
    with contextlib.suppress(NotAcceptable):
        assert negotiate(accept, OFFERS) in OFFERS
