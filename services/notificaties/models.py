"""Every table of the service, imported so Alembic sees the whole schema."""

from services.notificaties.abonnement.models import Abonnement
from services.notificaties.aflevering.models import Aflevering, Poging
from services.notificaties.gebeurtenis.models import Gebeurtenis

__all__ = ["Abonnement", "Aflevering", "Gebeurtenis", "Poging"]
