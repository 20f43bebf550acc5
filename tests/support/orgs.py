"""Municipality codes that no two tests of one session share.

Every database a session uses is new (`postgres_backend`, a temporary SQLite file), so a
code is unique when one counter hands it out. Tests that name a fixed code keep below
GM1000 or at GM9000 and above; the counter stays between them and fails loudly when it
runs out instead of wrapping onto a code in use (a random start did, and a "fresh"
organisation then held another test's meldingen).
"""

from __future__ import annotations

FIRST, LAST = 1000, 8999
_numbers = iter(range(FIRST, LAST + 1))


def next_org() -> str:
    """A municipality code no other test of this session has had."""
    number = next(_numbers, None)
    if number is None:
        raise RuntimeError(f"all test municipality codes GM{FIRST}–GM{LAST} are used")
    return f"GM{number:04d}"
