"""Every table of the service, imported so Alembic sees the whole schema."""

from services.beveiliging.beveiligingsmaatregel.models import Beveiligingsmaatregel
from services.beveiliging.events import uitgaande_gebeurtenis
from services.beveiliging.maatregel.models import Maatregel
from services.beveiliging.risicoanalyse.models import Risicoanalyse
from services.beveiliging.veiligheidspakket.models import Intakegesprek, Veiligheidspakket
from services.beveiliging.woningscan.models import Woningscan, WoningscanStatuswijziging

__all__ = [
    "Beveiligingsmaatregel",
    "Intakegesprek",
    "Maatregel",
    "Risicoanalyse",
    "Veiligheidspakket",
    "Woningscan",
    "WoningscanStatuswijziging",
    "uitgaande_gebeurtenis",
]
