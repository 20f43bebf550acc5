"""Every table of the service, imported so Alembic sees the whole schema."""

from services.kennisbank.artikel.models import Artikel, ArtikelDoelgroep, ArtikelThema, Revisie
from services.kennisbank.events import uitgaande_gebeurtenis
from services.kennisbank.search.models import Zoekdocument, Zoekstatistiek, Zoekterm, Zoekwoord

__all__ = [
    "Artikel",
    "ArtikelDoelgroep",
    "ArtikelThema",
    "Revisie",
    "Zoekdocument",
    "Zoekstatistiek",
    "Zoekterm",
    "Zoekwoord",
    "uitgaande_gebeurtenis",
]
