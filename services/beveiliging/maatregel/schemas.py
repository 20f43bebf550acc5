"""Catalogue request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from services.beveiliging.maatregel.catalogus import Categorie
from services.common.schemas import ApiInput, ApiOutput, ReadOnly

CODE_PATTERN = r"^[a-z][a-z0-9_]{2,63}$"
Code = Annotated[str, Field(pattern=CODE_PATTERN, examples=["paniekknop"])]


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
    naam: Annotated[str, Field(min_length=1, max_length=200)]
    categorie: Categorie
    omschrijving: Annotated[str, Field(min_length=1, max_length=2000)]


class MaatregelPatch(ApiInput):
    """`actief: false` trekt de maatregel in; `true` zet hem terug."""

    # Set by the server: sending one is 400 `read_only`, never silently ignored.
    aangemaakt_op: ReadOnly = None
    ingetrokken_op: ReadOnly = None
    naam: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    omschrijving: Annotated[str | None, Field(min_length=1, max_length=2000)] = None
    actief: bool | None = None
