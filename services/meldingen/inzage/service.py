"""The access log: every detail read and every change by anyone but the melder, append-only."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.logging import request_id_var
from services.common.principal import Principal
from services.common.types import utcnow
from services.meldingen.inzage import repository
from services.meldingen.inzage.enums import Actie
from services.meldingen.inzage.models import Inzage
from services.meldingen.inzage.schemas import InzageOut
from services.meldingen.melding.enums import Rol
from services.meldingen.melding.models import Melding
from services.meldingen.reach import in_behandelbereik, is_eigen_melding


def _rol_van(caller: Principal, melding: Melding) -> str:
    if in_behandelbereik(caller, melding):
        return Rol.behandelaar
    # Reach came from elsewhere (e.g. a handler reporting on someone's behalf): name a role
    # the caller holds, in a stable order.
    for rol in Rol:
        if caller.has_role(rol):
            return rol.value
    return "onbekend"


def registreer(
    session: AsyncSession, melding: Melding, caller: Principal, actie: Actie
) -> Inzage | None:
    """Log `actie` on `melding` by `caller`; the melder's own reads and changes are not logged."""
    if is_eigen_melding(caller, melding):
        return None
    inzage = Inzage(
        id=uuid.uuid4(),
        melding_id=melding.id,
        subject=caller.sub,
        rol=_rol_van(caller, melding),
        organisatie=caller.org,
        actie=actie,
        tijdstip=utcnow(),
        request_id=request_id_var.get(),
    )
    repository.add(session, inzage)
    return inzage


def to_view(inzage: Inzage) -> InzageOut:
    return InzageOut(
        tijdstip=inzage.tijdstip,
        actie=Actie(inzage.actie),
        rol=inzage.rol,
        organisatie=inzage.organisatie,
    )


async def list_inzages(
    session: AsyncSession, melding: Melding, *, offset: int, limit: int
) -> tuple[int, Sequence[Inzage]]:
    return await repository.list_inzages(session, melding.id, offset=offset, limit=limit)
