"""What the statistics may be grouped by (`groepeerOp`)."""

from __future__ import annotations

from enum import StrEnum


class Groepering(StrEnum):
    gedragstype = "gedragstype"
    vorm = "vorm"
    functie = "functie"
    maand = "maand"
    organisatie = "organisatie"
    status = "status"
    prioriteit = "prioriteit"
