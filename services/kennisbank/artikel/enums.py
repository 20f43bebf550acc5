"""The kennisbank's vocabularies (DESIGN.md); the workflow is in `states.py`."""

from __future__ import annotations

from enum import StrEnum


class Rol(StrEnum):
    """The one role the kennisbank distinguishes; reading needs none."""

    redacteur = "redacteur"


class Status(StrEnum):
    concept = "concept"
    gepubliceerd = "gepubliceerd"
    gearchiveerd = "gearchiveerd"


class Thema(StrEnum):
    agressieprotocol = "agressieprotocol"
    collectieve_norm = "collectieve_norm"
    woningscan = "woningscan"
    beveiliging = "beveiliging"
    digitale_dreiging = "digitale_dreiging"
    ondermijning = "ondermijning"
    nazorg = "nazorg"
    aangifte = "aangifte"
    publieke_dienstverlening = "publieke_dienstverlening"
    weerbare_organisatie = "weerbare_organisatie"
    bewustwording = "bewustwording"


class Doelgroep(StrEnum):
    politieke_ambtsdragers = "politieke_ambtsdragers"
    ambtenaren = "ambtenaren"
    wetenschappers = "wetenschappers"
    journalisten = "journalisten"
    hulpverleners = "hulpverleners"


class ArtikelType(StrEnum):
    handreiking = "handreiking"
    protocol = "protocol"
    factsheet = "factsheet"
    training = "training"
    contact = "contact"
    nieuws = "nieuws"


class Actie(StrEnum):
    """What a revision records."""

    aangemaakt = "aangemaakt"
    gewijzigd = "gewijzigd"
    status_gewijzigd = "status_gewijzigd"
