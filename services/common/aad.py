"""Associated data for the key ring: binds a ciphertext to its service, table, row and column.

A value copied to another row or column then fails to decrypt. The strings are part of what
was encrypted: changing one makes every stored value unreadable (it would take a
re-encryption), so the two formats in use are kept byte for byte:

- `AadFormat.KEY_THEN_COLUMN`: ``<service>:<table>:<key>:<column>`` (meldingen), and
  ``<service>:<table>:<part>:<part>…`` for values in several parts (`AadScheme.parts`);
- `AadFormat.COLUMN_THEN_KEY`: ``<service>.<table>.<column>:<key>`` (beveiliging).

A service declares its scheme once (`AAD = AadScheme("<service>", AadFormat.…)`) and asks it
for each column: `AAD.field("<table>", row.id, "<column>")`, or `AAD.for_column(...)` for a
callable ``row id → AAD`` (what re-encryption walks over).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class AadFormat(StrEnum):
    KEY_THEN_COLUMN = "key_then_column"
    COLUMN_THEN_KEY = "column_then_key"


def _name(kind: str, value: str) -> str:
    if not _NAME.match(value):
        raise ValueError(f"{kind} {value!r}: lower-case letters, digits and _ only")
    return value


def _part(value: object) -> str:
    text = str(value)
    if not text or ":" in text or "." in text:
        raise ValueError(f"AAD part {text!r} is empty or holds a separator")
    return text


@dataclass(frozen=True)
class AadScheme:
    """The AAD strings of one service, in the format its stored values were sealed with."""

    service: str
    format: AadFormat

    def __post_init__(self) -> None:
        _name("service", self.service)

    def field(self, table: str, key: uuid.UUID, column: str) -> str:
        """The AAD of one column of one row."""
        table, column, row = _name("table", table), _name("column", column), _part(key)
        if self.format is AadFormat.KEY_THEN_COLUMN:
            return f"{self.service}:{table}:{row}:{column}"
        return f"{self.service}.{table}.{column}:{row}"

    def parts(self, table: str, *parts: object) -> str:
        """``<service>:<table>:<part>…``: a value stored in pieces, each bound to its place."""
        if self.format is not AadFormat.KEY_THEN_COLUMN:
            raise ValueError("parts() exists only in the key-then-column format")
        if not parts:
            raise ValueError("parts() needs at least one part")
        return ":".join([self.service, _name("table", table), *map(_part, parts)])

    def for_column(self, table: str, column: str) -> Callable[[uuid.UUID], str]:
        """``row id → AAD`` for one column."""
        _name("table", table)
        _name("column", column)

        def aad(key: uuid.UUID) -> str:
            return self.field(table, key, column)

        return aad
