"""What the contract's JSON decoder costs beside the `json.loads` FastAPI runs after it.

Every JSON body is now decoded twice: once by `decode_json_body` (services/common/json_body.py,
in JsonBodyMiddleware) and once more by FastAPI. This prints, per body, the CPU time of
`json.loads` and of `decode_json_body` side by side and their ratio, for an ordinary melding,
bodies near the 1 MiB limit, and the worst the depth check can be given (many brackets, so
its slow path runs over the whole body). Refused bodies are timed until the refusal.

    .venv/bin/python benchmarks/json_body.py [--rounds 5]
    .venv/bin/python benchmarks/json_body.py --quick     # one round (make bench)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from collections.abc import Callable
from typing import Any

from services.common.json_body import MAX_JSON_DEPTH, MalformedJson, decode_json_body

ONE_MIB = 1024 * 1024
MELDING = json.dumps(
    {
        "gedragstype": "verward_gedrag",
        "vormen": ["verbaal", "fysiek"],
        "omschrijving": "Na de raadsvergadering werd ik bij de uitgang aangesproken. " * 10,
        "datumVoorval": "2026-11-30T21:15:00+01:00",
        "functie": "raadslid",
        "adres": {"straat": "Dam", "huisnummer": "1", "postcode": "1012 JS"},
    }
).encode()


def _fill(unit: bytes, *, wrap: tuple[bytes, bytes] = (b"[", b"]")) -> bytes:
    count = (ONE_MIB - len(wrap[0]) - len(wrap[1])) // (len(unit) + 1)
    return wrap[0] + b",".join([unit] * count) + wrap[1]


BODIES = {
    f"ordinary melding ({len(MELDING)} bytes)": MELDING,
    "1 MiB of text in one string": b'{"omschrijving": "' + b"x" * (ONE_MIB - 40) + b'"}',
    "1 MiB of small objects": _fill(b'{"naam":"a","waarde":1}'),
    "1 MiB of empty arrays (depth slow path)": _fill(b"[]"),
    f"1 MiB of {MAX_JSON_DEPTH}-deep nests (slow path, allowed)": _fill(
        b"[" * (MAX_JSON_DEPTH - 1) + b"]" * (MAX_JSON_DEPTH - 1)
    ),
    f"1 MiB, one {MAX_JSON_DEPTH + 1}-deep nest (refused)": _fill(b"[]")[:-1]
    + b",["
    + b"[" * MAX_JSON_DEPTH
    + b"]" * MAX_JSON_DEPTH
    + b"]]",
    "100,000-deep nest (refused)": b"[" * 100_000 + b"]" * 100_000,
}


def cpu_seconds(decode: Callable[[bytes], Any], body: bytes, rounds: int) -> float:
    """The best of `rounds` (the least disturbed by the other work on the machine)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        with contextlib.suppress(MalformedJson, RecursionError, ValueError):
            decode(body)
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one round")
    args = parser.parse_args()
    rounds = 1 if args.quick else args.rounds
    print(f"{'body':<48} {'json.loads':>12} {'decode_json_body':>17} {'ratio':>7}")
    for name, body in BODIES.items():
        plain = cpu_seconds(json.loads, body, rounds)
        strict = cpu_seconds(decode_json_body, body, rounds)
        ratio = strict / plain if plain else float("nan")
        print(f"{name:<48} {plain * 1000:>10.3f}ms {strict * 1000:>15.3f}ms {ratio:>7.2f}")


if __name__ == "__main__":
    main()
