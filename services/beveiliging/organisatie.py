"""Which organisation a new resource belongs to: the caller's, unless an OWB adviser says."""

from __future__ import annotations

from services.beveiliging.errors import ongeldig
from services.beveiliging.reach import is_landelijk_adviseur
from services.common.principal import Principal


def bepaal_organisatie(caller: Principal, gevraagd: str | None) -> str:
    """The caller's own organisation; another one only for an OWB adviser (else 400)."""
    if gevraagd is None or gevraagd == caller.org:
        if caller.org is None:
            raise ongeldig(("organisatie", "required", "Uw token noemt geen organisatie."))
        return caller.org
    if not is_landelijk_adviseur(caller):
        raise ongeldig(
            ("organisatie", "not_allowed", "Alleen OWB-adviseurs kiezen een andere organisatie.")
        )
    return gevraagd
