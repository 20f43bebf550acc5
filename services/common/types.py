"""Column types that behave the same on PostgreSQL and SQLite."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime
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


# Every date-time a client sends (body or query): with a zone, and storable. Without the
# second check the database layer's conversion to UTC fails and the client gets a 500.
ClientDatetime = Annotated[AwareDatetime, AfterValidator(_representable_in_utc)]
