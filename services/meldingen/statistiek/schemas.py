"""Response model of the statistics: groups, never single meldingen, never totals."""

from __future__ import annotations

from pydantic import Field

from services.meldingen.melding.schemas import ApiOutput


class StatistiekGroep(ApiOutput):
    gedragstype: str | None = Field(
        default=None, description="Alleen bij `groepeerOp=gedragstype`."
    )
    vorm: str | None = Field(default=None, description="Alleen bij `groepeerOp=vorm`.")
    functie: str | None = Field(default=None, description="Alleen bij `groepeerOp=functie`.")
    maand: str | None = Field(
        default=None,
        pattern=r"^\d{4}-\d{2}$",
        description="Maand van datumVoorval (Europe/Amsterdam), alleen bij `groepeerOp=maand`.",
    )
    organisatie: str | None = Field(
        default=None, description="Alleen bij `groepeerOp=organisatie`."
    )
    status: str | None = Field(default=None, description="Alleen bij `groepeerOp=status`.")
    prioriteit: str | None = Field(default=None, description="Alleen bij `groepeerOp=prioriteit`.")
    aantal: int | None = Field(description="Null als de groep kleiner is dan `drempel`.")
    onderdrukt: bool


class StatistiekOut(ApiOutput):
    drempel: int = Field(description="Groepen met minder meldingen dan dit worden onderdrukt.")
    groepen: list[StatistiekGroep]
