"""Everything held about the calling melder: their meldingen and what hangs from them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.crypto import KeyRing
from services.common.principal import Principal
from services.meldingen.aangifte import service as aangifte_service
from services.meldingen.bijlage import repository as bijlage_repository
from services.meldingen.bijlage import service as bijlage_service
from services.meldingen.inzage import repository as inzage_repository
from services.meldingen.inzage import service as inzage_service
from services.meldingen.melding import service as melding_service
from services.meldingen.melding.models import Melding
from services.meldingen.mijngegevens import repository
from services.meldingen.mijngegevens.schemas import MijnGegevensOut, MijnMelding
from services.meldingen.nazorg import repository as nazorg_repository
from services.meldingen.nazorg import service as nazorg_service
from services.meldingen.notitie import repository as notitie_repository
from services.meldingen.notitie import service as notitie_service

ALLES = 1_000_000


async def mijn_gegevens(
    session: AsyncSession, *, caller: Principal, key_ring: KeyRing
) -> MijnGegevensOut:
    meldingen = [
        await _mijn_melding(session, melding, key_ring)
        for melding in await repository.meldingen_van(session, caller.sub)
    ]
    return MijnGegevensOut(subject=caller.sub, meldingen=meldingen)


async def _mijn_melding(session: AsyncSession, melding: Melding, key_ring: KeyRing) -> MijnMelding:
    _, notities = await notitie_repository.list_notities(
        session, melding.id, alleen_zichtbaar=True, offset=0, limit=ALLES
    )
    momenten = await nazorg_repository.all_for_melding(session, melding.id)
    inzages = await inzage_repository.all_for_melding(session, melding.id)
    _, bijlagen = await bijlage_repository.list_bijlagen(
        session, melding.id, alleen_zichtbaar=True, offset=0, limit=ALLES
    )
    return MijnMelding(
        # Never the handler's identity nor the deadline's bookkeeping, also not here.
        **melding_service.zichtbare_velden(
            melding, key_ring, met_tekst=True, voor_behandelaar=False
        ),
        notities=[notitie_service.to_view(n, key_ring) for n in notities],
        aangifte=await aangifte_service.view(session, melding, key_ring),
        nazorgmomenten=[nazorg_service.to_view(m, key_ring) for m in momenten],
        inzages=[inzage_service.to_view(i) for i in inzages],
        bijlagen=[bijlage_service.to_view(b, key_ring, voor_behandelaar=False) for b in bijlagen],
    )
