"""Every table of the service, imported so Alembic sees the whole schema."""

from services.meldingen.inzage.models import Inzage
from services.meldingen.melding.models import (
    IdempotentVerzoek,
    KenmerkTeller,
    Melding,
    Statuswijziging,
)
from services.meldingen.notitie.models import Notitie

__all__ = ["IdempotentVerzoek", "Inzage", "KenmerkTeller", "Melding", "Notitie", "Statuswijziging"]
