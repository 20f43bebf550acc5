"""Every table of the service, imported so Alembic sees the whole schema."""

from services.meldingen.aangifte.models import Aangifte, AangifteWijziging
from services.meldingen.bijlage.models import Bijlage, BijlageDeel
from services.meldingen.events import uitgaande_gebeurtenis
from services.meldingen.inzage.models import Inzage
from services.meldingen.melding.models import (
    IdempotentVerzoek,
    KenmerkTeller,
    Melding,
    Statuswijziging,
)
from services.meldingen.nazorg.models import Nazorgmoment
from services.meldingen.notitie.models import Notitie
from services.meldingen.statistiek.models import MeldingVorm, RecordSleutel, StatistiekCel

__all__ = [
    "Aangifte",
    "AangifteWijziging",
    "Bijlage",
    "BijlageDeel",
    "IdempotentVerzoek",
    "Inzage",
    "KenmerkTeller",
    "Melding",
    "MeldingVorm",
    "Nazorgmoment",
    "Notitie",
    "RecordSleutel",
    "StatistiekCel",
    "Statuswijziging",
    "uitgaande_gebeurtenis",
]
