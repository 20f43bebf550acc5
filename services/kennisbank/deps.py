"""Dependencies of the kennisbank: the editor role, the article in reach, the search service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.common.app_factory import service_state
from services.common.deps import OptionalCallerDep, SessionDep, require_roles
from services.common.principal import Principal
from services.kennisbank.artikel import service
from services.kennisbank.artikel.models import Artikel
from services.kennisbank.reach import REDACTEUR
from services.kennisbank.search.service import Zoekdienst

ZOEKDIENST = "zoekdienst"

Redacteur = Annotated[Principal, Depends(require_roles(REDACTEUR))]


def _zoekdienst(request: Request) -> Zoekdienst:
    dienst = service_state(request).extras[ZOEKDIENST]
    assert isinstance(dienst, Zoekdienst)
    return dienst


ZoekdienstDep = Annotated[Zoekdienst, Depends(_zoekdienst)]


async def artikel_voor_lezen(slug: str, caller: OptionalCallerDep, session: SessionDep) -> Artikel:
    return await service.artikel_voor_lezen(session, slug, caller)


async def artikel_voor_redacteur(slug: str, caller: Redacteur, session: SessionDep) -> Artikel:
    return await service.artikel_voor_lezen(session, slug, caller, voor_wijziging=True)


LeesbaarArtikel = Annotated[Artikel, Depends(artikel_voor_lezen)]
TeWijzigenArtikel = Annotated[Artikel, Depends(artikel_voor_redacteur)]
