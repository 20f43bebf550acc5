"""Response model of the statistics: perturbed groups, never single meldingen, never totals."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from services.common.schemas import ApiOutput


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
    aantal: int = Field(
        description="Afgerond met ruis (celsleutelmethode, -2..+2); nooit kleiner dan `drempel`."
    )
    onderdrukt: bool = Field(
        description="Altijd false: een groep onder `drempel` wordt weggelaten (sinds 1.1.0)."
    )


class StatistiekOut(ApiOutput):
    drempel: int = Field(
        description="Groepen met minder meldingen dan dit, of een kleinere uitkomst, ontbreken."
    )
    methode: Literal["celsleutel"] = Field(
        description="Hoe de aantallen zijn verstoord: de celsleutelmethode."
    )
    groepen: list[StatistiekGroep]
