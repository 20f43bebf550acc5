"""Column types that behave the same on PostgreSQL and SQLite."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator
from pydantic_core import PydanticCustomError
from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; SQLite would drop the zone otherwise."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: times are stored with a zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _representable_in_utc(value: datetime) -> datetime:
    """A zoned time must still be a time once in UTC: `0001-01-01T00:00:00+01:00` is not."""
    try:
        value.astimezone(UTC)
    except OverflowError as exc:
        raise PydanticCustomError(
            "out_of_range", "Het tijdstip valt buiten het bereik (jaar 1 tot en met 9999, UTC)."
        ) from exc
    return value


# What RFC 3339 text looks like: pydantic would also take a number (a JSON 1700000000, or a
# query's "0.5") as Unix seconds, so a wrong type would be stored as a time instead of a 400.
_FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# (A bare day passes to pydantic, which names the missing zone: code `timezone`.)
_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ].+)?")


def _rfc3339_text(pattern: re.Pattern[str], kind: type[date]) -> Any:
    def check(value: object) -> object:
        # Objects built in code pass; from the wire only text in the documented format.
        if isinstance(value, kind) or (isinstance(value, str) and pattern.fullmatch(value)):
            return value
        raise PydanticCustomError(
            "format",
            "Verwacht tekst volgens RFC 3339 ({example}).",
            {"example": "2026-11-20" if pattern is _FULL_DATE else "2026-11-20T21:30:00+01:00"},
        )

    return BeforeValidator(check)


# Every date-time a client sends (body or query): RFC 3339 text with a zone, and storable.
# Without the last check the database layer's conversion to UTC fails and the client gets
# a 500.
ClientDatetime = Annotated[
    AwareDatetime, _rfc3339_text(_DATE_TIME, datetime), AfterValidator(_representable_in_utc)
]
# Every date a client sends (`format: date`): `YYYY-MM-DD` text, never a number.
ClientDate = Annotated[date, _rfc3339_text(_FULL_DATE, date)]
