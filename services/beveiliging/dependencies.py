"""Dependencies shared by this service's routers: base path, role aliases, ids, Location."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Response
from starlette.requests import Request

from services.beveiliging.errors import NietGevonden
from services.beveiliging.reach import ADVISEUR, BEHEERDER, SCAN_ROLLEN
from services.common.deps import require_roles
from services.common.links import absolute_url
from services.common.paths import api_base
from services.common.principal import Principal

BASE_PATH = api_base("beveiliging")

BeheerderDep = Annotated[Principal, Depends(require_roles(BEHEERDER))]
AdviseurDep = Annotated[Principal, Depends(require_roles(ADVISEUR))]
ScanRolDep = Annotated[Principal, Depends(require_roles(*SCAN_ROLLEN))]


def parse_id(raw: str, wat: str) -> uuid.UUID:
    """A malformed id is simply not found, with the same 404 as an id outside reach."""
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise NietGevonden(wat) from exc


def zet_location(request: Request, response: Response, pad: str) -> None:
    response.headers["Location"] = absolute_url(request, f"{BASE_PATH}{pad}")
