"""Base wire models every service's schemas build on (STYLE.md, "One layout, one vocabulary").

- `ApiInput`: a request body. camelCase names; an unknown field is 400 `unknown_field`; a field
  the server sets, declared as `ReadOnly`, is 400 `read_only`. Nothing is silently dropped.
- `ApiOutput`: a response body, serialised with camelCase names (snake_case accepted when
  building it in code).
- The subject and organisation patterns, and a list validator refusing repeats.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic.alias_generators import to_camel
from pydantic.json_schema import JsonSchemaValue, SkipJsonSchema
from pydantic_core import PydanticCustomError, core_schema

from services.common.auth import ORGANISATION_PATTERN, SUBJECT_CHARACTER, SUBJECT_MAX_LENGTH

H = TypeVar("H", bound=Hashable)


class ApiInput(BaseModel):
    """A request body: camelCase on the wire; unknown fields are refused, never dropped."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=False, extra="forbid", serialize_by_alias=True
    )


class ApiOutput(BaseModel):
    """A response body, serialised with camelCase names."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True
    )


def _read_only(_value: object) -> None:
    raise PydanticCustomError("read_only", "Dit veld is alleen-lezen.")


# A field the server sets. Accepted by the parser only to answer 400 `read_only` for it (any
# value, null included); absent from the OpenAPI documents. Declare it as `name: ReadOnly = None`.
ReadOnly = Annotated[SkipJsonSchema[Any], AfterValidator(_read_only)]


def distinct(values: list[H]) -> list[H]:
    """An `AfterValidator` for lists: each value once (400 `unique`). Annotate with `Distinct`."""
    if len(set(values)) != len(values):
        raise PydanticCustomError("unique", "Elke waarde mag één keer voorkomen.")
    return values


class Distinct:
    """A list's annotation: each value once (`distinct`), and the document says so with
    `uniqueItems`, so clients and generators know before the 400 (schemathesis sent repeats
    as valid data while the documents did not say it)."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(distinct, handler(source))

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["uniqueItems"] = True
        return json_schema


# A subject (`sub` of a token): no whitespace and no control characters; PostgreSQL text
# cannot even hold NUL, so a NUL must be a 400 at the edge, not an error in the query.
SUBJECT_PATTERN = f"^{SUBJECT_CHARACTER}+$"
Subject = Annotated[
    str, Field(min_length=1, max_length=SUBJECT_MAX_LENGTH, pattern=SUBJECT_PATTERN)
]
# An organisation code, anchored: the token verifier's pattern (ASCII digits only).
ORGANISATION_CODE_PATTERN = f"^{ORGANISATION_PATTERN}$"
OrganisationCode = Annotated[str, Field(pattern=ORGANISATION_CODE_PATTERN)]

# Free text stored as text (not encrypted): no control characters, and PostgreSQL text cannot
# even hold NUL (a 500 there, a 400 here). A one-line text has none at all; prose keeps tabs
# and line breaks.
ONE_LINE_PATTERN = r"^[^\x00-\x1f\x7f]+$"
PROSE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+$"
