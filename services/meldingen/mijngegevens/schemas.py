"""The reporter's own data (AVG inzageverzoek) as one JSON document."""

from __future__ import annotations

from pydantic import Field

from services.common.schemas import ApiOutput
from services.meldingen.aangifte.schemas import AangifteOut
from services.meldingen.bijlage.schemas import BijlageOut
from services.meldingen.inzage.schemas import InzageOut
from services.meldingen.melding.schemas import MeldingOut
from services.meldingen.nazorg.schemas import NazorgmomentOut
from services.meldingen.notitie.schemas import NotitieOut


class MijnMelding(MeldingOut):
    notities: list[NotitieOut] = Field(description="De notities die voor u zichtbaar zijn.")
    aangifte: AangifteOut | None
    nazorgmomenten: list[NazorgmomentOut]
    inzages: list[InzageOut] = Field(description="Wie (rol, organisatie) uw melding inzag.")
    bijlagen: list[BijlageOut] = Field(
        description="De voor u zichtbare bijlagen: gegevens en hash, niet de inhoud."
    )


class MijnGegevensOut(ApiOutput):
    subject: str = Field(description="Uw subject, zoals de meldingen het bewaren.")
    meldingen: list[MijnMelding]
