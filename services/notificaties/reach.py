"""Who may receive which event: the reading rules of DESIGN.md, applied at delivery time.

The check uses the event's reach attributes (the `Weerbaar-Bereik` header, never delivered)
and the roles and organisation stored with the subscription. Anything unknown is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.notificaties.gebeurtenis.types import service_of

OWB = "OWB"
BEHANDELAAR = "behandelaar"
BEVEILIGINGSADVISEUR = "beveiligingsadviseur"
MELDER = "melder"


@dataclass(frozen=True)
class Ontvanger:
    """The subscriber as the check sees it: subject, roles, organisation."""

    onderwerp: str
    rollen: frozenset[str]
    organisatie: str | None


def _meldingen(ontvanger: Ontvanger, bereik: Mapping[str, Any]) -> bool:
    # A referral to OWB (owbBereik) adds the national team's reach, which OWB handlers
    # already have; the municipality keeps its own.
    organisatie = bereik.get("organisatie")
    vertrouwelijk = bereik.get("vertrouwelijk") is not False  # missing counts as confidential
    if BEHANDELAAR in ontvanger.rollen and ontvanger.organisatie is not None:
        if ontvanger.organisatie == OWB:
            return True
        if organisatie == ontvanger.organisatie and not vertrouwelijk:
            return True
    melder = bereik.get("melder")
    return MELDER in ontvanger.rollen and isinstance(melder, str) and melder == ontvanger.onderwerp


def _beveiliging(ontvanger: Ontvanger, bereik: Mapping[str, Any]) -> bool:
    if BEVEILIGINGSADVISEUR not in ontvanger.rollen or ontvanger.organisatie is None:
        return False
    if ontvanger.organisatie == OWB:
        return True
    organisatie = bereik.get("organisatie")
    return isinstance(organisatie, str) and organisatie == ontvanger.organisatie


def in_bereik(ontvanger: Ontvanger, event_type: str, bereik: Mapping[str, Any]) -> bool:
    service = service_of(event_type)
    if service == "meldingen":
        return _meldingen(ontvanger, bereik)
    if service == "beveiliging":
        return _beveiliging(ontvanger, bereik)
    # Anyone signed in receives the knowledge base's events.
    return service == "kennisbank"
