"""Which request bodies count as JSON: RFC 8259 as I-JSON (RFC 7493) narrows it, with limits.

Python's `json` module is laxer than the contract and fails in ways that say nothing to a
partner: it reads a BOM, UTF-16 and `NaN`, lets the last of two equal keys win, and a deep
nest or a 5,000-digit number ends in a RecursionError or ValueError. `decode_json_body`
refuses all of these with one `MalformedJson` whose text says where or what, so every
undecodable body is the same 400 `ongeldige-json` problem.

The limits are far above what any body of the contract needs (three levels, numbers of a
few digits) and no lower than what partners' own tools produce: .NET's System.Text.Json
reads and writes at most 64 levels by default, and 100 characters hold every 64-bit integer
(20) and every double in its shortest exact form (24) with room to spare. Past them, decoding
costs grow with the input (Python parses a long integer in quadratic time).
"""

from __future__ import annotations

import json
import math
from itertools import accumulate
from typing import Any, NoReturn

MAX_JSON_DEPTH = 64
MAX_JSON_NUMBER_LENGTH = 100
_QUOTED_LIMIT = 40  # how much of a client's key or number a detail quotes

_ONE_KIND = bytes.maketrans(b"{}", b"[]")  # depth is the same whichever bracket
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEPS = bytes.maketrans(b"[]", b"\x01\xff")

# The decoder's own words (never the client's text), as a partner reads them.
_REASONS = {
    "Expecting value": "hier hoort een waarde",
    "Expecting property name enclosed in double quotes": (
        "hier hoort een naam tussen dubbele aanhalingstekens"
    ),
    "Expecting ',' delimiter": "hier hoort een komma",
    "Expecting ':' delimiter": "hier hoort een dubbele punt",
    "Unterminated string starting at": "de tekst die hier begint, wordt niet afgesloten",
    "Invalid control character at": "een stuurteken in een tekst; schrijf het als \\u-escape",
    "Invalid \\escape": "een ongeldige escape in een tekst",
    "Invalid \\uXXXX escape": "een ongeldige \\uXXXX-escape in een tekst",
    "Extra data": "na de JSON-waarde volgt nog meer",
}


class MalformedJson(ValueError):
    """A body that is not the JSON the contract accepts; `detail` says where or what."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _quoted(text: str) -> str:
    return text if len(text) <= _QUOTED_LIMIT else text[: _QUOTED_LIMIT - 1] + "…"


def _at(line: int, column: int, reason: str) -> MalformedJson:
    return MalformedJson(f"Regel {line}, kolom {column}: {reason}.")


def syntax_error(text: str, position: int, message: str) -> MalformedJson:
    """The decoder's `message` at character `position` of `text`, as line and column."""
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    return _at(line, column, _REASONS.get(message, message))


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Refused rather than last-wins: a proxy, a log or a partner's own parser may keep the
    # first, and a body that means two things to two readers is not accepted.
    value = dict(pairs)
    if len(value) == len(pairs):
        return value
    seen: set[str] = set()
    for name, _ in pairs:
        if name in seen:
            raise MalformedJson(f'De naam "{_quoted(name)}" staat twee keer in hetzelfde object.')
        seen.add(name)
    raise AssertionError("unreachable: fewer keys than pairs means a repeat")


def _number_length(literal: str) -> None:
    if len(literal) > MAX_JSON_NUMBER_LENGTH:
        raise MalformedJson(
            f"Het getal {_quoted(literal)} is langer dan {MAX_JSON_NUMBER_LENGTH} tekens."
        )


def _int(literal: str) -> int:
    _number_length(literal)
    return int(literal)


def _float(literal: str) -> float:
    _number_length(literal)
    value = float(literal)
    if math.isinf(value):
        raise MalformedJson(f"Het getal {_quoted(literal)} is te groot voor een double.")
    return value


def _constant(literal: str) -> NoReturn:
    raise MalformedJson(f"{literal} is geen JSON-getal; JSON kent geen NaN of Infinity.")


def _nests_too_deep(text: str) -> bool:
    """Whether arrays and objects in (valid JSON) `text` nest deeper than the limit."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return False  # cannot nest deeper than it has brackets: nearly every body ends here
    # Brackets in strings do not count. In valid JSON a backslash only escapes, read pairwise
    # from the left as str.replace reads, so without `\\` and `\"` every other quote-separated
    # piece is outside a string. Everything there is ASCII; all but the brackets goes.
    unescaped = text.replace("\\\\", "").replace('\\"', "")
    outside = "".join(unescaped.split('"')[::2]).encode("ascii")
    brackets = outside.translate(_ONE_KIND, _NOT_BRACKETS)
    # Each pass removes every innermost pair, so one level (C speed). A pass that removes
    # less than half means long deep runs: the rest is counted bracket by bracket.
    peeled = 0
    while brackets:
        shorter = brackets.replace(b"[]", b"")
        peeled += 1
        if len(shorter) * 2 > len(brackets):
            return peeled + _deepest(shorter) > MAX_JSON_DEPTH
        brackets = shorter
    return peeled > MAX_JSON_DEPTH


def _deepest(brackets: bytes) -> int:
    steps = memoryview(brackets.translate(_STEPS)).cast("b")  # +1 for "[", -1 for "]"
    return max(accumulate(steps), default=0)


def _too_deep() -> MalformedJson:
    return MalformedJson(f"De body is dieper genest dan {MAX_JSON_DEPTH} niveaus.")


def _text(body: bytes) -> str:
    if body.startswith(b"\xef\xbb\xbf"):
        raise _at(1, 1, "de body begint met een byte order mark (BOM); stuur UTF-8 zonder BOM")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = body.rfind(b"\n", 0, exc.start) + 1
        line = body.count(b"\n", 0, exc.start) + 1
        column = len(body[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise _at(line, column, f"byte 0x{body[exc.start]:02X} is geen geldige UTF-8") from None


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object, parse_int=_int, parse_float=_float, parse_constant=_constant
)


def decode_json_body(body: bytes) -> Any:
    """The value of a JSON body, or `MalformedJson` saying why it is not one we accept."""
    text = _text(body)
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise syntax_error(text, exc.pos, exc.msg) from None
    except RecursionError:
        raise _too_deep() from None  # deeper than Python recurses: far past the limit
    if _nests_too_deep(text):
        raise _too_deep()
    return value
