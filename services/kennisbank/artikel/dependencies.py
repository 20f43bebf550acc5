"""Chained dependencies: role (401/403) → valid slug → in reach (404), before the body (400)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.common.deps import OptionalCallerDep, SessionDep, require_roles
from services.common.principal import Principal
from services.common.problems import NotFound
from services.kennisbank.artikel import service
from services.kennisbank.artikel.enums import Rol
from services.kennisbank.artikel.models import Artikel
from services.kennisbank.artikel.slug import could_exist

Redacteur = Annotated[Principal, Depends(require_roles(Rol.redacteur))]


def parse_slug(raw: str) -> str:
    """A slug this service could never have made (a NUL, a capital…) is simply not found."""
    if not could_exist(raw):
        raise NotFound(service.NOT_FOUND)
    return raw


async def artikel_for_reading(slug: str, caller: OptionalCallerDep, session: SessionDep) -> Artikel:
    return await service.artikel_in_reach(session, caller, parse_slug(slug))


async def artikel_for_editing(slug: str, caller: Redacteur, session: SessionDep) -> Artikel:
    return await service.artikel_in_reach(session, caller, parse_slug(slug), for_update=True)


ArtikelInReach = Annotated[Artikel, Depends(artikel_for_reading)]
ArtikelToEdit = Annotated[Artikel, Depends(artikel_for_editing)]
