"""Request and response models of the melding subdomain (camelCase on the wire)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StrictBool
from pydantic_core import PydanticCustomError

from services.common.schemas import ApiInput, ApiOutput, Distinct, ReadOnly, Subject
from services.common.types import ClientDatetime
from services.meldingen.melding.enums import (
    ORGANISATIE_PATTERN,
    Functie,
    Gedragstype,
    Prioriteit,
    Status,
    Verwijzing,
    Vorm,
)

MAX_TEKST = 10_000


def _not_in_future(value: datetime) -> datetime:
    if value > datetime.now(UTC):
        raise PydanticCustomError("future_date", "Het tijdstip ligt in de toekomst.")
    return value


class ServerFields(ApiInput):
    """Fields the server sets: a client that sends them gets 400, never a silent change."""

    id: ReadOnly = None
    kenmerk: ReadOnly = None
    status: ReadOnly = None
    prioriteit_: ReadOnly = Field(default=None, alias="prioriteit")
    behandelaar: ReadOnly = None
    advies: ReadOnly = None
    aangemaakt_op: ReadOnly = None
    gewijzigd_op: ReadOnly = None
    doorverwezen_naar: ReadOnly = None
    reactie_uiterlijk: ReadOnly = None
    opgepakt_op: ReadOnly = None
    termijn_verstreken: ReadOnly = None


class MeldingCreate(ServerFields):
    gedragstype: Gedragstype
    vormen: Annotated[list[Vorm], Field(min_length=1, max_length=10), Distinct()]
    omschrijving: str = Field(min_length=1, max_length=MAX_TEKST)
    datum_voorval: Annotated[ClientDatetime, AfterValidator(_not_in_future)]
    functie: Functie
    organisatie: str | None = Field(
        default=None,
        pattern=ORGANISATIE_PATTERN,
        description="Standaard de organisatie uit het token; alleen OWB-behandelaars kiezen vrij.",
    )
    vertrouwelijk: StrictBool = Field(
        default=False, description="Alleen het landelijke ondersteuningsteam (OWB) ziet de melding."
    )
    acuut_gevaar: StrictBool = False
    melder: Subject | None = Field(
        default=None, description="Alleen behandelaars: melden namens deze persoon (subject)."
    )


class MeldingPatch(ApiInput):
    """Only `prioriteit` may change; every other field of a melding is read-only here."""

    prioriteit: Prioriteit
    id: ReadOnly = None
    kenmerk: ReadOnly = None
    status: ReadOnly = None
    behandelaar: ReadOnly = None
    advies: ReadOnly = None
    aangemaakt_op: ReadOnly = None
    gewijzigd_op: ReadOnly = None
    doorverwezen_naar: ReadOnly = None
    reactie_uiterlijk: ReadOnly = None
    opgepakt_op: ReadOnly = None
    termijn_verstreken: ReadOnly = None
    gedragstype: ReadOnly = None
    vormen: ReadOnly = None
    omschrijving: ReadOnly = None
    datum_voorval: ReadOnly = None
    functie: ReadOnly = None
    organisatie: ReadOnly = None
    vertrouwelijk: ReadOnly = None
    acuut_gevaar: ReadOnly = None
    melder: ReadOnly = None


class StatuswijzigingCreate(ApiInput):
    status: Status
    toelichting: str | None = Field(default=None, max_length=2000)
    doorverwezen_naar: Verwijzing | None = None
    nazorg_plannen: StrictBool = Field(
        default=True,
        description="Bij `afgehandeld`: nazorgmomenten op +1 en +4 weken plannen.",
    )


class ToewijzingCreate(ApiInput):
    behandelaar: Subject


class MeldingOut(ApiOutput):
    id: uuid.UUID
    kenmerk: str = Field(examples=["MLD-2026-000042"])
    gedragstype: Gedragstype
    vormen: list[Vorm]
    omschrijving: str | None = Field(description="Null nadat de melding is geanonimiseerd.")
    datum_voorval: datetime
    functie: Functie
    organisatie: str
    vertrouwelijk: bool
    acuut_gevaar: bool
    status: Status
    prioriteit: Prioriteit
    behandelaar: str | None = Field(
        default=None, description="Niet aanwezig in wat de melder zelf ziet."
    )
    melder: str | None
    doorverwezen_naar: Verwijzing | None
    advies: list[str]
    aangemaakt_op: datetime
    gewijzigd_op: datetime
    reactie_uiterlijk: datetime | None = Field(
        default=None,
        description=(
            "Alleen voor behandelaars: uiterlijk dan moet een behandelaar de melding oppakken "
            "(zie de beschrijving van de API, 'Termijnen'). Niet aanwezig voor de melder."
        ),
        examples=["2026-12-09T15:00:00Z"],
    )
    opgepakt_op: datetime | None = Field(
        default=None,
        description=(
            "Alleen voor behandelaars: wanneer een behandelaar de melding voor het eerst uit "
            "`ontvangen` haalde of toewees; null zolang dat niet gebeurde. Heropenen verandert "
            "het niet. Niet aanwezig voor de melder."
        ),
    )
    termijn_verstreken: bool | None = Field(
        default=None,
        description=(
            "Alleen voor behandelaars: `reactieUiterlijk` verstreek voordat de melding werd "
            "opgepakt (of, nooit opgepakt, werd afgesloten). Niet aanwezig voor de melder."
        ),
    )


class MeldingInLijst(MeldingOut):
    """A list item: free text only in the caller's own meldingen (DESIGN.md part D, v1.1)."""

    omschrijving: str | None = Field(
        default=None,
        description=(
            "Alleen in de eigen meldingen van de melder. Behandelaars lezen de omschrijving in "
            "de detailweergave, die in het toegangslog komt (sinds 1.1.0)."
        ),
    )


@dataclass(frozen=True)
class LijstFilter:
    """The list's query parameters, parsed at the edge; the repository turns them into SQL."""

    status: str | None = None
    gedragstype: str | None = None
    prioriteit: str | None = None
    kenmerk: str | None = None
    behandelaar: str | None = None
    van: datetime | None = None
    tot: datetime | None = None
    sortering: str = "-aangemaaktOp"
    termijn_verstreken: bool | None = None
    niet_van_melder: str | None = None  # leave out the meldingen this subject reported
