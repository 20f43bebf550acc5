"""The actions of the access log (DESIGN.md `actie`): values are part of API contract v1."""

from __future__ import annotations

from enum import StrEnum


class Actie(StrEnum):
    bekeken = "bekeken"
    gewijzigd = "gewijzigd"
    status_gewijzigd = "status_gewijzigd"
    toegewezen = "toegewezen"
    notitie_toegevoegd = "notitie_toegevoegd"
    aangifte_gewijzigd = "aangifte_gewijzigd"
    nazorg_gewijzigd = "nazorg_gewijzigd"
    # contract v1.1: evidence attachments
    bijlage_toegevoegd = "bijlage_toegevoegd"
    bijlage_bekeken = "bijlage_bekeken"
