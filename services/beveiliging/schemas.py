"""Base classes for request and response bodies: camelCase on the wire, unknown fields refused."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from services.common.auth import ORGANISATION_PATTERN
from services.common.schemas import SUBJECT_PATTERN, Subject

__all__ = ["SUBJECT_FILTER_PATTERN", "Subject"]


class Invoer(BaseModel):
    """A request body: unknown or read-only fields are 400 (`unknown_field`), never ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=False, extra="forbid", serialize_by_alias=True
    )


class Uitvoer(BaseModel):
    """A response body, serialised with camelCase names."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True
    )


# The verifier's pattern; ASCII digits ("\d" would also take "GM٠٣٦٣").
ORGANISATIE_PATROON = f"^{ORGANISATION_PATTERN}$"
GEMEENTE_PATROON = r"^GM[0-9]{4}$"
# A subject in a body or a filter: the common pattern, no whitespace and no control
# characters (PostgreSQL text cannot hold NUL). Bodies used to admit control characters.
SUBJECT_FILTER_PATTERN = SUBJECT_PATTERN
