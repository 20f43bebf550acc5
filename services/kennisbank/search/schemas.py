"""Response models of `GET /zoeken` (camelCase on the wire).

The OpenAPI component names (`Zoekresultaten`, `ZoekTreffer`, `Facetten`) are the class names:
they did not change when these moved here from `artikel/schemas.py`.
"""

from __future__ import annotations

from pydantic import Field

from services.common.schemas import ApiOutput


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
