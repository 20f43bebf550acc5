"""The police report's vocabulary of DESIGN.md: values are part of API contract v1."""

from __future__ import annotations

from enum import StrEnum


class AangifteStatus(StrEnum):
    gedaan = "gedaan"
    in_onderzoek = "in_onderzoek"
    bij_om = "bij_om"
    zitting_gepland = "zitting_gepland"
    afgerond = "afgerond"
    geseponeerd = "geseponeerd"


class Ondersteuning(StrEnum):
    juridisch_advies = "juridisch_advies"
    begeleiding_zitting = "begeleiding_zitting"
    spreekrecht = "spreekrecht"
    schadevergoeding = "schadevergoeding"


# The criminal case is over: retention may anonymise the melding.
AFGESLOTEN = frozenset({AangifteStatus.afgerond, AangifteStatus.geseponeerd})
