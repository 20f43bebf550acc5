"""Who may see and handle which melding (DESIGN.md "Roles and tenancy"), for all of meldingen."""

from __future__ import annotations

from services.common.principal import Principal
from services.common.problems import Forbidden
from services.meldingen.melding.enums import NATIONAL_TEAM, Rol
from services.meldingen.melding.models import Melding
from services.meldingen.melding.repository import Bereik

# Both may report, so both keep the reporter's reach over what they reported themselves.
REPORTING_ROLES = (Rol.melder, Rol.behandelaar)


def bereik_van(caller: Principal) -> Bereik:
    """The union of what the caller's roles reach."""
    handler = caller.has_role(Rol.behandelaar) and caller.org is not None
    return Bereik(
        melder_subject=caller.sub if caller.has_role(*REPORTING_ROLES) else None,
        organisatie=caller.org if handler else None,
        landelijk=handler and caller.org == NATIONAL_TEAM,
    )


def is_eigen_melding(caller: Principal, melding: Melding) -> bool:
    return melding.melder is not None and melding.melder == caller.sub


def als_melder(caller: Principal, melding: Melding) -> bool:
    """The caller acts as this melding's reporter (a handler reporting for themselves too)."""
    return caller.has_role(*REPORTING_ROLES) and is_eigen_melding(caller, melding)


def in_behandelbereik(caller: Principal, melding: Melding) -> bool:
    """Reach as a handler, regardless of whether the caller reported it."""
    if not caller.has_role(Rol.behandelaar) or caller.org is None:
        return False
    if caller.org == NATIONAL_TEAM and (melding.vertrouwelijk or melding.owb_bereik):
        return True
    return melding.organisatie == caller.org and not melding.vertrouwelijk


def in_bereik(caller: Principal, melding: Melding) -> bool:
    return als_melder(caller, melding) or in_behandelbereik(caller, melding)


def mag_behandelen(caller: Principal, melding: Melding) -> bool:
    """Handler actions: in reach as a handler and not the reporter (nobody handles their own)."""
    return in_behandelbereik(caller, melding) and not is_eigen_melding(caller, melding)


def require_handler(caller: Principal, melding: Melding) -> None:
    """403 unless `mag_behandelen`: the one place a handler action is refused."""
    if not mag_behandelen(caller, melding):
        raise Forbidden("U behandelt deze melding niet; niemand behandelt zijn eigen melding.")
