"""Who may see and do what in the kennisbank (DESIGN.md "Roles and tenancy").

Published articles are public. Only the role `redacteur` writes, and only editors see drafts
and archived articles: for anyone else those do not exist (404, absent from lists and search).
"""

from __future__ import annotations

from services.common.principal import Principal
from services.kennisbank.artikel.enums import Rol, Status
from services.kennisbank.artikel.models import Artikel


def is_redacteur(caller: Principal | None) -> bool:
    return caller is not None and caller.has_role(Rol.redacteur)


def may_see(caller: Principal | None, artikel: Artikel) -> bool:
    """Published articles for anyone; every status for editors."""
    return artikel.status == Status.gepubliceerd or is_redacteur(caller)


def visible_statuses(caller: Principal | None, asked: Status | None) -> tuple[Status, ...]:
    """The statuses a list may hold: editors every status (or the one asked); others only
    published articles, and nothing when they ask for another status."""
    if is_redacteur(caller):
        return (asked,) if asked else tuple(Status)
    if asked in (None, Status.gepubliceerd):
        return (Status.gepubliceerd,)
    return ()
