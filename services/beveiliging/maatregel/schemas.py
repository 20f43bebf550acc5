"""Catalogue request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from services.beveiliging.maatregel.catalogus import Categorie
from services.common.schemas import (
    ONE_LINE_PATTERN,
    PROSE_PATTERN,
    ApiInput,
    ApiOutput,
    ReadOnly,
)

CODE_PATTERN = r"^[a-z][a-z0-9_]{2,63}$"
Code = Annotated[str, Field(pattern=CODE_PATTERN, examples=["paniekknop"])]
# Stored as text: no NUL (a 500 on PostgreSQL) and no control characters.
Naam = Annotated[str, Field(min_length=1, max_length=200, pattern=ONE_LINE_PATTERN)]
Omschrijving = Annotated[str, Field(min_length=1, max_length=2000, pattern=PROSE_PATTERN)]


class MaatregelOut(ApiOutput):
    code: str
    naam: str
    categorie: Categorie
    omschrijving: str
    actief: bool = Field(description="Ingetrokken maatregelen blijven leesbaar, met `false`.")
    aangemaakt_op: datetime
    ingetrokken_op: datetime | None


class MaatregelCreate(ApiInput):
    # Set by the server: sending one is 400 `read_only`, never silently ignored.
    actief: ReadOnly = None
    aangemaakt_op: ReadOnly = None
    ingetrokken_op: ReadOnly = None
    code: Code
    naam: Naam
    categorie: Categorie
    omschrijving: Omschrijving


class MaatregelPatch(ApiInput):
    """`actief: false` trekt de maatregel in; `true` zet hem terug."""

    # Set by the server: sending one is 400 `read_only`, never silently ignored.
    aangemaakt_op: ReadOnly = None
    ingetrokken_op: ReadOnly = None
    naam: Naam | None = None
    omschrijving: Omschrijving | None = None
    actief: bool | None = None
