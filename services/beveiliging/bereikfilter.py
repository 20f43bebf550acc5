"""The reach rules of `bereik.py` as a SQL condition, for list queries in the repositories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_, true

from services.beveiliging.bereik import OWB, is_adviseur
from services.common.principal import Principal


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
