"""Content negotiation on `Accept` (RFC 9110 §12.5.1), for routes that answer in more than JSON.

werkzeug parses the field (q-values, parameters, quoted strings; an entry with a malformed
q-value drops out). The ranking is RFC 9110's, written here because werkzeug's own matcher
wants a range's parameters to equal the offer's, so that `text/csv;q=0` would not refuse
`text/csv; charset=utf-8`: an offer's quality is that of the most specific range that covers
it (`text/csv;q=0, text/*` refuses CSV); the highest quality wins, then the offer named most
specifically (`text/csv, */*` is CSV), then the order of the offers, so JSON stays the default
under `*/*`. No `Accept` (or an empty one) is the first offer too; an `Accept` that admits
none of them is 406, naming them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from starlette.requests import Request
from werkzeug.http import parse_accept_header, parse_options_header

from services.common.problems import DomainError

MediaType = tuple[str, str, dict[str, str]]  # type, subtype, parameters: all lower case


class NotAcceptable(DomainError):
    status = 406
    code = None  # a plain HTTP error: about:blank
    title = "Niet aanvaardbaar."


def _media_type(value: str) -> MediaType | None:
    full, params = parse_options_header(value)
    kind, slash, sub = full.strip().lower().partition("/")
    if not slash or not kind or not sub or (kind == "*" and sub != "*"):
        return None  # not a media range (`*/csv` is none either)
    return kind, sub, {k.lower(): v.lower() for k, v in params.items()}


def _quality(offer: MediaType, ranges: Sequence[tuple[MediaType, float]]) -> tuple[float, int]:
    """The q of the most specific range covering ``offer`` (0 when none does), and how
    specific that range is."""
    kind, sub, params = offer
    specificity, quality = -1, 0.0
    for (range_kind, range_sub, range_params), q in ranges:
        if range_kind not in ("*", kind) or range_sub not in ("*", sub):
            continue
        if any(params.get(name) != value for name, value in range_params.items()):
            continue
        own = (range_kind != "*") + (range_sub != "*") + len(range_params)
        if own > specificity:
            specificity, quality = own, q
    return quality, specificity


def negotiate(accept: str | None, offers: Sequence[str]) -> str:
    """The offer (as written in ``offers``) the client prefers; the first without a preference."""
    if accept is None or not accept.strip():
        return offers[0]
    ranges = [
        (parsed, q)
        for value, q in parse_accept_header(accept)
        if (parsed := _media_type(value)) is not None
    ]
    scored: list[tuple[float, int, int, str]] = []
    for position, offer in enumerate(offers):
        parsed = _media_type(offer)
        assert parsed is not None, offer  # the route's own media types
        quality, specificity = _quality(parsed, ranges)
        if quality > 0:
            scored.append((quality, specificity, -position, offer))
    if not scored:
        raise NotAcceptable(
            f"Dit antwoord is er als {' of '.join(offers)}; het Accept-veld laat geen ervan toe."
        )
    return max(scored)[3]


def accepting(*offers: str) -> Callable[[Request], str]:
    """A dependency: the media type to answer in, or 406 (every ``Accept`` field counts)."""

    def media_type(request: Request) -> str:
        return negotiate(", ".join(request.headers.getlist("accept")) or None, offers)

    return media_type
