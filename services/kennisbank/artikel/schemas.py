"""Request and response models of the artikel subdomain (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from services.kennisbank.artikel.enums import Actie, ArtikelType, Doelgroep, Status, Thema
from services.kennisbank.artikel.weergave import MAX_OPMAAKTEKENS, OPMAAKTEKENS, opmaaktekens

T = TypeVar("T")


class ApiModel(BaseModel):
    """camelCase on the wire; unknown fields are refused, never silently dropped."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=False, extra="forbid", serialize_by_alias=True
    )


class ApiOutput(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True
    )


def _read_only(_value: object) -> None:
    raise PydanticCustomError("read_only", "Dit veld is alleen-lezen.")


def _uniek(waarden: list[T]) -> list[T]:
    if len(set(waarden)) != len(waarden):
        raise PydanticCustomError("unique", "Elke waarde mag één keer voorkomen.")
    return waarden


def _begrensde_opmaak(inhoud: str) -> str:
    if opmaaktekens(inhoud) > MAX_OPMAAKTEKENS:
        tekens = " ".join(sorted(OPMAAKTEKENS))
        raise PydanticCustomError(
            "te_complex",
            f"Hooguit {MAX_OPMAAKTEKENS} opmaaktekens ({tekens}) per artikel: de weergave "
            "ervan kost anders te veel rekentijd.",
        )
    return inhoud


# Accepted by the parser only to answer 400 `read_only` for it; absent from the documents.
ReadOnly = Annotated[SkipJsonSchema[Any], AfterValidator(_read_only)]
Titel = Annotated[str, Field(min_length=1, max_length=200)]
Samenvatting = Annotated[str, Field(min_length=1, max_length=1000)]
Inhoud = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100_000,
        description=(
            f"Markdown; hooguit {MAX_OPMAAKTEKENS} van de tekens `[`, `*`, `_`, `<` en "
            "`` ` `` samen (anders 400 `te_complex`)."
        ),
    ),
    AfterValidator(_begrensde_opmaak),
]
Themas = Annotated[list[Thema], Field(min_length=1, max_length=11), AfterValidator(_uniek)]
Doelgroepen = Annotated[list[Doelgroep], Field(min_length=1, max_length=5), AfterValidator(_uniek)]


class ServerFields(ApiModel):
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


class StatuswijzigingCreate(ApiModel):
    status: Status


class ArtikelOverzicht(ApiOutput):
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


class ArtikelOut(ArtikelOverzicht):
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


class ZoekTreffer(ApiOutput):
    slug: str
    titel: str
    samenvatting: str
    fragment: str = Field(
        description="HTML-escaped tekst rond de treffers; treffers staan in `<mark>`…`</mark>`."
    )
    score: float


class Facetten(ApiOutput):
    themas: dict[str, int] = Field(description="Per thema het aantal resultaten.")
    doelgroepen: dict[str, int] = Field(description="Per doelgroep het aantal resultaten.")


class Zoekresultaten(ApiOutput):
    count: int = Field(description="Het totaal over alle pagina's.")
    next: str | None
    previous: str | None
    results: list[ZoekTreffer]
    facetten: Facetten = Field(
        description="Tellingen over alle resultaten, met de andere filters toegepast."
    )
    suggestie: str | None = Field(description="Een verbeterde zoekvraag, of null.")
