"""Request and response models of the subscriptions (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from services.common.schemas import ApiInput, ApiOutput, Distinct, OrganisationCode, ReadOnly
from services.notificaties.gebeurtenis.types import is_valid_pattern


def _bekende_types(waarden: list[str]) -> list[str]:
    for waarde in waarden:
        if not is_valid_pattern(waarde):
            raise PydanticCustomError(
                "enum",
                "Onbekend type {type}: een type uit DESIGN.md part D, "
                "'nl.weerbaarbestuur.<service>.*' of 'nl.weerbaarbestuur.*'.",
                {"type": waarde[:200]},
            )
    return waarden


CallbackUrl = Annotated[
    str,
    Field(
        min_length=1,
        max_length=2048,
        description=(
            "Waar de gebeurtenissen heen gaan. In productie alleen `https`. Een host die naar "
            "een loopback-, privé-, link-local-, multicast- of metadata-adres wijst, wordt "
            "geweigerd (400), ook bij elke aflevering opnieuw."
        ),
        examples=["https://zaaksysteem.gemeente.nl/webhooks/weerbaar"],
    ),
]
Types = Annotated[
    list[Annotated[str, Field(max_length=200)]],
    Field(
        min_length=1,
        max_length=30,
        description="Exacte types of patronen (`nl.weerbaarbestuur.meldingen.*`).",
        examples=[["nl.weerbaarbestuur.meldingen.*"]],
    ),
    Distinct(),
    AfterValidator(_bekende_types),
]
Organisaties = Annotated[
    list[OrganisationCode],
    Field(
        min_length=1,
        max_length=50,
        description=(
            "Alleen gebeurtenissen van deze organisaties (meldingen, beveiliging). "
            "Gebeurtenissen zonder organisatie (kennisbank) komen altijd door."
        ),
        examples=[["GM0363"]],
    ),
    Distinct(),
]


class ServerFields(ApiInput):
    """Fields the server sets: a client that sends them gets 400."""

    id: ReadOnly = None
    secret: ReadOnly = None
    aangemaakt_op: ReadOnly = None
    gewijzigd_op: ReadOnly = None
    uitgeschakeld_reden: ReadOnly = None
    vorig_secret_geldig_tot: ReadOnly = None


class AbonnementCreate(ServerFields):
    callback_url: CallbackUrl
    types: Types
    organisaties: Organisaties | None = None


class AbonnementPatch(ServerFields):
    callback_url: CallbackUrl | None = None
    types: Types | None = None
    organisaties: Organisaties | None = Field(
        default=None, description="`null` haalt het filter weg."
    )
    actief: bool | None = None

    @model_validator(mode="after")
    def _iets_wijzigen(self) -> AbonnementPatch:
        if not self.model_fields_set:
            raise PydanticCustomError("required", "Geef minstens één veld om te wijzigen.")
        for veld in self.model_fields_set - {"organisaties"}:
            if getattr(self, veld) is None:
                raise PydanticCustomError("required", f"{to_camel(veld)} mag niet null zijn.")
        return self


class AbonnementOut(ApiOutput):
    id: uuid.UUID
    callback_url: str
    types: list[str]
    organisaties: list[str] | None
    actief: bool
    uitgeschakeld_reden: str | None = Field(
        description="`gone` als de ontvanger 410 antwoordde; anders null."
    )
    vorig_secret_geldig_tot: datetime | None = Field(
        description="Na `secret-vernieuwen`: tot wanneer ook het vorige secret tekent."
    )
    aangemaakt_op: datetime
    gewijzigd_op: datetime


class AbonnementMetSecret(AbonnementOut):
    secret: str = Field(
        description=(
            "`whsec_` + base64 van 32 willekeurige bytes. Alleen in dit antwoord; "
            "daarna nooit meer te lezen."
        ),
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )
