"""Service-level dependencies of the kennisbank: the search service of this process."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.common.app_factory import service_state
from services.kennisbank.search.service import Zoekdienst

ZOEKDIENST = "zoekdienst"


def _zoekdienst(request: Request) -> Zoekdienst:
    dienst = service_state(request).extras[ZOEKDIENST]
    assert isinstance(dienst, Zoekdienst)
    return dienst


ZoekdienstDep = Annotated[Zoekdienst, Depends(_zoekdienst)]
