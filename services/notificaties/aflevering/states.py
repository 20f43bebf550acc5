"""The states of a delivery and of an attempt (DESIGN.md part D)."""

from __future__ import annotations

from enum import StrEnum

GEPLAND = "gepland"  # waiting for its first attempt (or a replay)
AFGELEVERD = "afgeleverd"
OPNIEUW_GEPLAND = "opnieuw_gepland"
MISLUKT = "mislukt"
# Out of reach when its turn came (the owner lost a role): never attempted, never shown.
VERVALLEN = "vervallen"

OPEN = (GEPLAND, OPNIEUW_GEPLAND)
HERHAALBAAR = (MISLUKT, AFGELEVERD)


class PogingStatus(StrEnum):
    afgeleverd = AFGELEVERD
    opnieuw_gepland = OPNIEUW_GEPLAND
    mislukt = MISLUKT


class AfleveringStatus(StrEnum):
    gepland = GEPLAND
    afgeleverd = AFGELEVERD
    opnieuw_gepland = OPNIEUW_GEPLAND
    mislukt = MISLUKT
