"""The meldingen vocabulary of DESIGN.md: values are part of API contract v1."""

from __future__ import annotations

from enum import StrEnum

from services.common.auth import ORGANISATION_PATTERN


class Gedragstype(StrEnum):
    frustratie_agressie = "frustratie_agressie"
    verward_gedrag = "verward_gedrag"
    instrumentele_agressie = "instrumentele_agressie"


class Vorm(StrEnum):
    verbaal = "verbaal"
    fysiek = "fysiek"
    bedreiging = "bedreiging"
    intimidatie = "intimidatie"
    online = "online"
    stalking = "stalking"
    schade_eigendom = "schade_eigendom"
    doxing = "doxing"
    juridische_intimidatie = "juridische_intimidatie"
    anders = "anders"


class Functie(StrEnum):
    burgemeester = "burgemeester"
    wethouder = "wethouder"
    raadslid = "raadslid"
    statenlid = "statenlid"
    gedeputeerde = "gedeputeerde"
    commissaris_van_de_koning = "commissaris_van_de_koning"
    waterschapsbestuurder = "waterschapsbestuurder"
    ambtenaar = "ambtenaar"
    wetenschapper = "wetenschapper"
    journalist = "journalist"
    hulpverlener = "hulpverlener"
    anders = "anders"


class Status(StrEnum):
    ontvangen = "ontvangen"
    in_behandeling = "in_behandeling"
    doorverwezen = "doorverwezen"
    afgehandeld = "afgehandeld"
    ingetrokken = "ingetrokken"


class Prioriteit(StrEnum):
    normaal = "normaal"
    hoog = "hoog"
    spoed = "spoed"


class Verwijzing(StrEnum):
    OWB = "OWB"
    politie = "politie"
    openbaar_ministerie = "openbaar_ministerie"
    beveiliging = "beveiliging"
    anders = "anders"


class Rol(StrEnum):
    melder = "melder"
    behandelaar = "behandelaar"
    beveiligingsadviseur = "beveiligingsadviseur"
    redacteur = "redacteur"
    analist = "analist"
    beheerder = "beheerder"


NATIONAL_TEAM = "OWB"
# The verifier's pattern; ASCII digits ("\d" would also take "GM٠٣٦٣").
ORGANISATIE_PATTERN = f"^{ORGANISATION_PATTERN}$"
