"""Catalogue request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from services.beveiliging.maatregel.catalogus import Categorie
from services.beveiliging.schemas import Invoer, Uitvoer

CODE_PATTERN = r"^[a-z][a-z0-9_]{2,63}$"
Code = Annotated[str, Field(pattern=CODE_PATTERN, examples=["paniekknop"])]


class MaatregelUit(Uitvoer):
    code: str
    naam: str
    categorie: Categorie
    omschrijving: str
    actief: bool = Field(description="Ingetrokken maatregelen blijven leesbaar, met `false`.")
    aangemaakt_op: datetime
    ingetrokken_op: datetime | None


class MaatregelNieuw(Invoer):
    code: Code
    naam: Annotated[str, Field(min_length=1, max_length=200)]
    categorie: Categorie
    omschrijving: Annotated[str, Field(min_length=1, max_length=2000)]


class MaatregelWijziging(Invoer):
    """`actief: false` trekt de maatregel in; `true` zet hem terug."""

    naam: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    omschrijving: Annotated[str | None, Field(min_length=1, max_length=2000)] = None
    actief: bool | None = None
