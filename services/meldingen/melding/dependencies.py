"""Chained dependencies: role (403) → reach (404), before FastAPI validates the body (400)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends

from services.common.deps import SessionDep, require_roles
from services.common.principal import Principal
from services.common.problems import NotFound
from services.meldingen.melding import service
from services.meldingen.melding.enums import Rol
from services.meldingen.melding.models import Melding

MelderOfBehandelaar = Annotated[Principal, Depends(require_roles(Rol.melder, Rol.behandelaar))]
Behandelaar = Annotated[Principal, Depends(require_roles(Rol.behandelaar))]


def parse_id(raw: str) -> uuid.UUID:
    """A malformed id is simply not found: ids cannot be probed by their shape either."""
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise NotFound("Niet gevonden.") from exc


async def melding_for_reading(id: str, caller: MelderOfBehandelaar, session: SessionDep) -> Melding:
    return await service.melding_in_reach(session, caller, parse_id(id))


async def melding_for_change(id: str, caller: MelderOfBehandelaar, session: SessionDep) -> Melding:
    return await service.melding_in_reach(session, caller, parse_id(id), for_update=True)


async def melding_for_handler(id: str, caller: Behandelaar, session: SessionDep) -> Melding:
    return await service.melding_in_reach(session, caller, parse_id(id), for_update=True)


MeldingInReach = Annotated[Melding, Depends(melding_for_reading)]
MeldingToChange = Annotated[Melding, Depends(melding_for_change)]
MeldingToHandle = Annotated[Melding, Depends(melding_for_handler)]
