"""The standard measures of the package for a starting mayor.

A new mayor gets, in one transaction, an intake to plan, a home scan request
and these measures as `geadviseerd`. The costs are indicative amounts
(richtprijzen) for the adviser to adjust; the municipality pays for its
mayor's basic security, so `financier` is `gemeente`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.beveiliging.beveiligingsmaatregel.states import Financier


@dataclass(frozen=True)
class PakketMaatregel:
    maatregel: str
    kosten: Decimal
    financier: Financier


STANDAARD_PAKKET: tuple[PakketMaatregel, ...] = (
    PakketMaatregel("skg_hang_en_sluitwerk", Decimal("1250.00"), Financier.gemeente),
    PakketMaatregel("buitenverlichting_bewegingsmelder", Decimal("450.00"), Financier.gemeente),
    PakketMaatregel("brandwerende_brievenbus", Decimal("350.00"), Financier.gemeente),
    PakketMaatregel("afscherming_adresgegevens", Decimal("0.00"), Financier.gemeente),
    PakketMaatregel("tweestapsverificatie", Decimal("0.00"), Financier.gemeente),
    PakketMaatregel("vaste_contactpersoon_politie", Decimal("0.00"), Financier.gemeente),
    PakketMaatregel("weerbaarheidstraining", Decimal("1500.00"), Financier.gemeente),
)
