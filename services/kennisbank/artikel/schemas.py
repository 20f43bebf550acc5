"""Request and response models of the artikel subdomain (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from services.common.schemas import (
    ONE_LINE_PATTERN,
    PROSE_PATTERN,
    ApiInput,
    ApiOutput,
    Distinct,
    ReadOnly,
)
from services.kennisbank.artikel.enums import Actie, ArtikelType, Doelgroep, Status, Thema
from services.kennisbank.artikel.rendering import MAX_OPMAAKTEKENS, OPMAAKTEKENS, opmaaktekens


def _begrensde_opmaak(inhoud: str) -> str:
    if opmaaktekens(inhoud) > MAX_OPMAAKTEKENS:
        tekens = " ".join(sorted(OPMAAKTEKENS))
        raise PydanticCustomError(
            "te_complex",
            f"Hooguit {MAX_OPMAAKTEKENS} opmaaktekens ({tekens}) per artikel: de weergave "
            "ervan kost anders te veel rekentijd.",
        )
    return inhoud


# No control characters in what editors write (services.common.schemas): a title is one line.
Titel = Annotated[str, Field(min_length=1, max_length=200, pattern=ONE_LINE_PATTERN)]
Samenvatting = Annotated[str, Field(min_length=1, max_length=1000, pattern=PROSE_PATTERN)]
Inhoud = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100_000,
        pattern=PROSE_PATTERN,
        description=(
            f"Markdown; hooguit {MAX_OPMAAKTEKENS} van de tekens `[`, `*`, `_`, `<` en "
            "`` ` `` samen (anders 400 `te_complex`)."
        ),
    ),
    AfterValidator(_begrensde_opmaak),
]
Themas = Annotated[list[Thema], Field(min_length=1, max_length=11), Distinct()]
Doelgroepen = Annotated[list[Doelgroep], Field(min_length=1, max_length=5), Distinct()]


class ServerFields(ApiInput):
    """Fields the server sets: a client that sends them gets 400."""

    id: ReadOnly = None
    slug: ReadOnly = None
    status: ReadOnly = None
    versie: ReadOnly = None
    inhoud_html: ReadOnly = None
    aangemaakt_op: ReadOnly = None
    gewijzigd_op: ReadOnly = None
    gepubliceerd_op: ReadOnly = None


class ArtikelCreate(ServerFields):
    titel: Titel
    samenvatting: Samenvatting
    inhoud: Inhoud
    themas: Themas
    doelgroepen: Doelgroepen
    type: ArtikelType


class ArtikelPatch(ServerFields):
    """Any of the editable fields; the slug stays as it was made at creation."""

    titel: Titel | None = None
    samenvatting: Samenvatting | None = None
    inhoud: Inhoud | None = None
    themas: Themas | None = None
    doelgroepen: Doelgroepen | None = None
    type: ArtikelType | None = None

    @model_validator(mode="after")
    def _iets_wijzigen(self) -> ArtikelPatch:
        if not self.model_fields_set:
            raise PydanticCustomError("required", "Geef minstens één veld om te wijzigen.")
        for veld in self.model_fields_set:
            if getattr(self, veld) is None:
                raise PydanticCustomError("required", f"{to_camel(veld)} mag niet null zijn.")
        return self


class StatuswijzigingCreate(ApiInput):
    status: Status


class ArtikelSummary(ApiOutput):
    id: uuid.UUID
    slug: str = Field(examples=["de-collectieve-norm-tegen-agressie-en-intimidatie"])
    titel: str
    samenvatting: str
    themas: list[Thema]
    doelgroepen: list[Doelgroep]
    type: ArtikelType
    status: Status = Field(description="Anderen dan redacteuren zien alleen `gepubliceerd`.")
    versie: int
    aangemaakt_op: datetime
    gewijzigd_op: datetime
    gepubliceerd_op: datetime | None


class ArtikelOut(ArtikelSummary):
    inhoud: str = Field(description="Markdown, zoals geschreven.")
    inhoud_html: str = Field(description="De Markdown als HTML, gesaneerd (nh3).")


class RevisieOut(ApiOutput):
    versie: int
    actie: Actie
    titel: str
    samenvatting: str
    inhoud: str
    themas: list[Thema]
    doelgroepen: list[Doelgroep]
    type: ArtikelType
    status: Status
    door: str
    tijdstip: datetime
