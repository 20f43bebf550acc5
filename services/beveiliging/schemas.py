"""Base classes for request and response bodies: camelCase on the wire, unknown fields refused."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from services.common.auth import ORGANISATION_PATTERN


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
Subject = Annotated[str, Field(min_length=1, max_length=255, pattern=r"^[^\s]+$")]
# A subject to filter on: no whitespace and no control characters (PostgreSQL text cannot
# hold NUL, so a NUL filter failed in the query instead of answering 400).
SUBJECT_FILTER_PATTERN = r"^[^\s\x00-\x1f\x7f]+$"
