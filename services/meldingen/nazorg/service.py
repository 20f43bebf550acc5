"""Aftercare: handlers plan and record moments; closing a melding plans +1 and +4 weeks."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.crypto import KeyRing
from services.common.principal import Principal
from services.common.problems import Conflict, NotFound
from services.common.types import utcnow
from services.meldingen.db import AAD
from services.meldingen.inzage.enums import Actie
from services.meldingen.inzage.service import registreer
from services.meldingen.melding.models import Melding
from services.meldingen.melding.repository import Bereik
from services.meldingen.nazorg import repository
from services.meldingen.nazorg.models import Nazorgmoment
from services.meldingen.nazorg.schemas import (
    NazorgmomentCreate,
    NazorgmomentInLijst,
    NazorgmomentOut,
    NazorgmomentPatch,
)
from services.meldingen.reach import bereik_van, require_handler

AUTOMATISCH = (
    (timedelta(weeks=1), "Nazorggesprek een week na afhandeling van de melding."),
    (timedelta(weeks=4), "Nazorggesprek vier weken na afhandeling van de melding."),
)


class NazorgAlUitgevoerd(Conflict):
    code = "nazorg-al-uitgevoerd"
    title = "Dit nazorgmoment is al uitgevoerd."


OMSCHRIJVING_AAD = AAD.for_column("nazorgmoment", "omschrijving")
UITKOMST_AAD = AAD.for_column("nazorgmoment", "uitkomst")


def to_view(
    moment: Nazorgmoment, key_ring: KeyRing, now: datetime | None = None
) -> NazorgmomentOut:
    now = now or utcnow()
    return NazorgmomentOut(
        id=moment.id,
        melding_id=moment.melding_id,
        gepland=moment.gepland,
        omschrijving=(
            key_ring.decrypt(moment.omschrijving_versleuteld, aad=OMSCHRIJVING_AAD(moment.id))
            if moment.omschrijving_versleuteld
            else None
        ),
        uitgevoerd=moment.uitgevoerd,
        uitgevoerd_op=moment.uitgevoerd_op,
        uitkomst=(
            key_ring.decrypt(moment.uitkomst_versleuteld, aad=UITKOMST_AAD(moment.id))
            if moment.uitkomst_versleuteld
            else None
        ),
        verlopen=not moment.uitgevoerd and moment.gepland < now,
        automatisch=moment.automatisch,
        aangemaakt_op=moment.aangemaakt_op,
    )


def to_list_view(moment: Nazorgmoment, now: datetime | None = None) -> NazorgmomentInLijst:
    """As in the overview across meldingen: without `omschrijving` and `uitkomst`."""
    now = now or utcnow()
    return NazorgmomentInLijst(
        id=moment.id,
        melding_id=moment.melding_id,
        gepland=moment.gepland,
        uitgevoerd=moment.uitgevoerd,
        uitgevoerd_op=moment.uitgevoerd_op,
        verlopen=not moment.uitgevoerd and moment.gepland < now,
        automatisch=moment.automatisch,
        aangemaakt_op=moment.aangemaakt_op,
    )


def _new(
    melding: Melding,
    *,
    gepland: datetime,
    omschrijving: str,
    door: str,
    automatisch: bool,
    key_ring: KeyRing,
) -> Nazorgmoment:
    moment_id = uuid.uuid4()
    return Nazorgmoment(
        id=moment_id,
        melding_id=melding.id,
        gepland=gepland,
        omschrijving_versleuteld=key_ring.encrypt(omschrijving, aad=OMSCHRIJVING_AAD(moment_id)),
        automatisch=automatisch,
        aangemaakt_door=door,
        aangemaakt_op=utcnow(),
    )


def plan_na_afhandeling(
    session: AsyncSession, melding: Melding, *, door: str, key_ring: KeyRing
) -> list[Nazorgmoment]:
    """The standard moments when a melding is handled: +1 and +4 weeks."""
    now = utcnow()
    moments = [
        _new(
            melding,
            gepland=now + delta,
            omschrijving=tekst,
            door=door,
            automatisch=True,
            key_ring=key_ring,
        )
        for delta, tekst in AUTOMATISCH
    ]
    repository.add(session, *moments)
    return moments


def create(
    session: AsyncSession,
    melding: Melding,
    *,
    caller: Principal,
    data: NazorgmomentCreate,
    key_ring: KeyRing,
) -> Nazorgmoment:
    require_handler(caller, melding)
    moment = _new(
        melding,
        gepland=data.gepland,
        omschrijving=data.omschrijving,
        door=caller.sub,
        automatisch=False,
        key_ring=key_ring,
    )
    repository.add(session, moment)
    registreer(session, melding, caller, Actie.nazorg_gewijzigd)
    return moment


def _parse_moment_id(raw: str) -> uuid.UUID:
    """A malformed id is simply not found (as meldingen answers everywhere)."""
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise NotFound("Niet gevonden.") from exc


async def update(
    session: AsyncSession,
    melding: Melding,
    moment_id: str,
    *,
    caller: Principal,
    data: NazorgmomentPatch,
    key_ring: KeyRing,
) -> Nazorgmoment:
    """403 for a non-handler first, then 404 for a malformed or unknown moment id."""
    require_handler(caller, melding)
    moment = await repository.lock(session, melding.id, _parse_moment_id(moment_id))
    if moment is None:
        raise NotFound("Nazorgmoment niet gevonden.")
    if moment.uitgevoerd and not data.uitgevoerd:
        raise NazorgAlUitgevoerd("Een uitgevoerd nazorgmoment gaat niet terug naar open.")
    if data.uitgevoerd and not moment.uitgevoerd:
        moment.uitgevoerd = True
        moment.uitgevoerd_op = utcnow()
    if data.uitkomst is not None:
        moment.uitkomst_versleuteld = key_ring.encrypt(data.uitkomst, aad=UITKOMST_AAD(moment.id))
    registreer(session, melding, caller, Actie.nazorg_gewijzigd)
    await session.flush()
    return moment


async def list_for_melding(
    session: AsyncSession, melding: Melding, *, caller: Principal, offset: int, limit: int
) -> tuple[int, Sequence[Nazorgmoment]]:
    found = await repository.list_for_melding(session, melding.id, offset=offset, limit=limit)
    registreer(session, melding, caller, Actie.bekeken)
    return found


async def list_in_reach(
    session: AsyncSession,
    *,
    caller: Principal,
    verlopen: bool | None,
    offset: int,
    limit: int,
) -> tuple[int, Sequence[Nazorgmoment]]:
    handler_reach = bereik_van(caller)
    bereik = Bereik(organisatie=handler_reach.organisatie, landelijk=handler_reach.landelijk)
    if bereik.leeg:
        return 0, []
    return await repository.list_in_reach(
        session,
        bereik=bereik,
        niet_van=caller.sub,
        verlopen=verlopen,
        now=utcnow(),
        offset=offset,
        limit=limit,
    )
