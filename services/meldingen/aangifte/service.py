"""The police report: written by the melder or a handler in reach; every version kept."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.crypto import KeyRing
from services.common.principal import Principal
from services.common.problems import Forbidden, NotFound
from services.common.types import utcnow
from services.meldingen import events
from services.meldingen.aangifte import repository
from services.meldingen.aangifte.models import Aangifte, AangifteWijziging
from services.meldingen.aangifte.schemas import AangifteOut, AangiftePut, AangifteVersie
from services.meldingen.db import AAD
from services.meldingen.inzage.enums import Actie
from services.meldingen.inzage.service import registreer
from services.meldingen.melding.enums import Rol
from services.meldingen.melding.models import Melding
from services.meldingen.reach import als_melder, mag_behandelen

AANGIFTE_AAD = AAD.for_column("aangifte", "politie_registratienummer")
WIJZIGING_AAD = AAD.for_column("aangifte_wijziging", "politie_registratienummer")


def _rol(caller: Principal, melding: Melding) -> Rol:
    if als_melder(caller, melding):
        return Rol.melder
    if mag_behandelen(caller, melding):
        return Rol.behandelaar
    raise Forbidden("Alleen de melder en de behandelaars van deze melding leggen de aangifte vast.")


@dataclass(frozen=True)
class PutOutcome:
    aangifte: AangifteOut  # the new current version, with its history
    created: bool


async def put_aangifte(
    session: AsyncSession,
    melding: Melding,
    *,
    caller: Principal,
    data: AangiftePut,
    key_ring: KeyRing,
) -> PutOutcome:
    rol = _rol(caller, melding)
    now = utcnow()
    nummer = data.politie_registratienummer
    ondersteuning = [o.value for o in data.ondersteuning]
    aangifte = await repository.get(session, melding.id)
    created = aangifte is None
    if aangifte is None:
        aangifte = Aangifte(
            melding_id=melding.id,
            datum_aangifte=data.datum_aangifte,
            status=data.status,
            ondersteuning=ondersteuning,
            gewijzigd_op=now,
        )
        repository.add(session, aangifte)
    else:
        aangifte.datum_aangifte = data.datum_aangifte
        aangifte.status = data.status
        aangifte.ondersteuning = ondersteuning
        aangifte.gewijzigd_op = now
        aangifte.versie += 1
    aangifte.politie_registratienummer_versleuteld = (
        key_ring.encrypt(nummer, aad=AANGIFTE_AAD(melding.id)) if nummer else None
    )
    wijziging_id = uuid.uuid4()
    repository.add(
        session,
        AangifteWijziging(
            id=wijziging_id,
            melding_id=melding.id,
            datum_aangifte=data.datum_aangifte,
            politie_registratienummer_versleuteld=(
                key_ring.encrypt(nummer, aad=WIJZIGING_AAD(wijziging_id)) if nummer else None
            ),
            status=data.status,
            ondersteuning=ondersteuning,
            door=caller.sub,
            rol=rol,
            tijdstip=now,
        ),
    )
    events.aangifte_gewijzigd(session, melding, aangifte)
    registreer(session, melding, caller, Actie.aangifte_gewijzigd)
    await session.flush()
    return PutOutcome(aangifte=await require_view(session, melding, key_ring), created=created)


async def view(session: AsyncSession, melding: Melding, key_ring: KeyRing) -> AangifteOut | None:
    aangifte = await repository.get(session, melding.id)
    if aangifte is None:
        return None
    nummer = aangifte.politie_registratienummer_versleuteld
    historie = [
        AangifteVersie(
            datum_aangifte=row.datum_aangifte,
            politie_registratienummer=(
                key_ring.decrypt(
                    row.politie_registratienummer_versleuteld, aad=WIJZIGING_AAD(row.id)
                )
                if row.politie_registratienummer_versleuteld
                else None
            ),
            status=row.status,
            ondersteuning=row.ondersteuning,
            rol=row.rol,
            tijdstip=row.tijdstip,
        )
        for row in await repository.historie(session, melding.id)
    ]
    return AangifteOut(
        datum_aangifte=aangifte.datum_aangifte,
        politie_registratienummer=(
            key_ring.decrypt(nummer, aad=AANGIFTE_AAD(melding.id)) if nummer else None
        ),
        status=aangifte.status,
        ondersteuning=aangifte.ondersteuning,
        gewijzigd_op=aangifte.gewijzigd_op,
        historie=historie,
    )


async def require_view(session: AsyncSession, melding: Melding, key_ring: KeyRing) -> AangifteOut:
    out = await view(session, melding, key_ring)
    if out is None:
        raise NotFound("Bij deze melding is geen aangifte vastgelegd.")
    return out


async def read_aangifte(
    session: AsyncSession, melding: Melding, *, caller: Principal, key_ring: KeyRing
) -> AangifteOut:
    """The aangifte as read by `caller`: 404 when there is none, else logged as `bekeken`."""
    out = await require_view(session, melding, key_ring)
    registreer(session, melding, caller, Actie.bekeken)
    return out
