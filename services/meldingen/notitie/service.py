"""Notes: handlers choose visibility; the reporter's own notes are always visible to them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.crypto import KeyRing
from services.common.principal import Principal
from services.common.problems import Forbidden
from services.common.types import utcnow
from services.meldingen.db import AAD
from services.meldingen.inzage.enums import Actie
from services.meldingen.inzage.service import registreer
from services.meldingen.melding.enums import Rol
from services.meldingen.melding.models import Melding
from services.meldingen.notitie import repository
from services.meldingen.notitie.models import Notitie
from services.meldingen.notitie.schemas import NotitieCreate, NotitieOut
from services.meldingen.reach import als_melder, mag_behandelen

TEKST_AAD = AAD.for_column("notitie", "tekst")


def _as_melder(caller: Principal, melding: Melding) -> bool:
    return als_melder(caller, melding)


def to_view(notitie: Notitie, key_ring: KeyRing) -> NotitieOut:
    tekst = None
    if notitie.tekst_versleuteld is not None:
        tekst = key_ring.decrypt(notitie.tekst_versleuteld, aad=TEKST_AAD(notitie.id))
    return NotitieOut(
        id=notitie.id,
        tekst=tekst,
        zichtbaar_voor_melder=notitie.zichtbaar_voor_melder,
        auteur_rol=notitie.auteur_rol,
        aangemaakt_op=notitie.aangemaakt_op,
    )


def add_notitie(
    session: AsyncSession,
    melding: Melding,
    *,
    caller: Principal,
    data: NotitieCreate,
    key_ring: KeyRing,
) -> Notitie:
    if _as_melder(caller, melding):
        rol, zichtbaar = Rol.melder, True
    elif mag_behandelen(caller, melding):
        rol, zichtbaar = Rol.behandelaar, data.zichtbaar_voor_melder
    else:
        raise Forbidden("U behandelt deze melding niet.")
    notitie_id = uuid.uuid4()
    notitie = Notitie(
        id=notitie_id,
        melding_id=melding.id,
        tekst_versleuteld=key_ring.encrypt(data.tekst, aad=TEKST_AAD(notitie_id)),
        zichtbaar_voor_melder=zichtbaar,
        auteur=caller.sub,
        auteur_rol=rol,
        aangemaakt_op=utcnow(),
    )
    repository.add(session, notitie)
    registreer(session, melding, caller, Actie.notitie_toegevoegd)
    return notitie


async def list_notities(
    session: AsyncSession,
    melding: Melding,
    *,
    caller: Principal,
    offset: int,
    limit: int,
) -> tuple[int, Sequence[Notitie]]:
    # Only a handler of this melding sees the internal notes.
    alleen_zichtbaar = not mag_behandelen(caller, melding)
    found = await repository.list_notities(
        session, melding.id, alleen_zichtbaar=alleen_zichtbaar, offset=offset, limit=limit
    )
    registreer(session, melding, caller, Actie.bekeken)
    return found
