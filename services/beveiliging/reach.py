"""Roles and reach (tenancy) of the beveiliging service, on a verified Principal.

- The requester and the person concerned (`betreft`) reach their own resources.
- A `beveiligingsadviseur` reaches the resources of their own organisation;
  one of `OWB` (the national support team) reaches those of all organisations.
- Outside reach is 404 (ids cannot be probed); a role that may never act is 403.
- `in_bereik_clause` is the same rule as a SQL condition, for list queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, or_, true

from services.common.principal import Principal

ADVISEUR = "beveiligingsadviseur"
MELDER = "melder"
BEHEERDER = "beheerder"
OWB = "OWB"


class Actor(StrEnum):
    """In which capacity a caller asks a state machine for a move (`actoren` decides)."""

    aanvrager = "aanvrager"
    adviseur = "adviseur"


# Who may take part in home scans and measures at all; others get 403.
SCAN_ROLLEN = (MELDER, ADVISEUR)


def is_adviseur(caller: Principal) -> bool:
    return caller.has_role(ADVISEUR)


def is_landelijk_adviseur(caller: Principal) -> bool:
    return is_adviseur(caller) and caller.org == OWB


def adviseur_bereik(caller: Principal, organisatie: str) -> bool:
    """An adviser of this organisation, or of OWB."""
    return is_adviseur(caller) and caller.org is not None and caller.org in {organisatie, OWB}


def is_betrokkene(caller: Principal, personen: Iterable[str | None]) -> bool:
    return caller.sub in {p for p in personen if p}


def in_bereik(caller: Principal, organisatie: str, personen: Iterable[str | None]) -> bool:
    return is_betrokkene(caller, personen) or adviseur_bereik(caller, organisatie)


def actoren(
    caller: Principal, organisatie: str, *, betreft: str, aanvrager: str | None = None
) -> set[Actor]:
    """The capacities in which the caller may ask a state machine for a move.

    The requester and the person concerned act as `aanvrager`. Nobody handles
    their own case: an adviser who is the person concerned is not an adviser
    for it (an adviser who requested it for someone else still is).
    """
    gevonden: set[Actor] = set()
    if is_betrokkene(caller, (betreft, aanvrager)):
        gevonden.add(Actor.aanvrager)
    if caller.sub != betreft and adviseur_bereik(caller, organisatie):
        gevonden.add(Actor.adviseur)
    return gevonden


def in_bereik_clause(
    caller: Principal, *, organisatie: Any, personen: tuple[Any, ...]
) -> ColumnElement[bool]:
    """Rows whose person is the caller, or of the adviser's organisation (OWB: all)."""
    if is_adviseur(caller) and caller.org == OWB:
        return true()
    voorwaarden: list[ColumnElement[bool]] = [kolom == caller.sub for kolom in personen]
    if is_adviseur(caller) and caller.org:
        voorwaarden.append(organisatie == caller.org)
    return or_(*voorwaarden)
