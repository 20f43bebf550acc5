"""Everything held about the calling melder: their meldingen and what hangs from them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.crypto import KeyRing
from services.common.principal import Principal
from services.meldingen.aangifte import service as aangifte_service
from services.meldingen.bijlage import repository as bijlage_repository
from services.meldingen.bijlage import service as bijlage_service
from services.meldingen.inzage import repository as inzage_repository
from services.meldingen.inzage import service as inzage_service
from services.meldingen.melding import service as melding_service
from services.meldingen.mijngegevens import repository
from services.meldingen.nazorg import repository as nazorg_repository
from services.meldingen.nazorg import service as nazorg_service
from services.meldingen.notitie import repository as notitie_repository
from services.meldingen.notitie import service as notitie_service

ALLES = 1_000_000


async def mijn_gegevens(
    session: AsyncSession, *, caller: Principal, key_ring: KeyRing
) -> dict[str, Any]:
    meldingen = []
    for melding in await repository.meldingen_van(session, caller.sub):
        view = melding_service.to_view(melding, key_ring, caller)
        # Never the handler's identity nor the deadline's bookkeeping, also not here.
        for veld in ("behandelaar", "reactieUiterlijk", "opgepaktOp", "termijnVerstreken"):
            view.pop(veld, None)
        _, notities = await notitie_repository.list_notities(
            session, melding.id, alleen_zichtbaar=True, offset=0, limit=ALLES
        )
        aangifte = await aangifte_service.view(session, melding, key_ring)
        momenten = await nazorg_repository.all_for_melding(session, melding.id)
        inzages = await inzage_repository.all_for_melding(session, melding.id)
        _, bijlagen = await bijlage_repository.list_bijlagen(
            session, melding.id, alleen_zichtbaar=True, offset=0, limit=ALLES
        )
        view |= {
            "notities": [
                notitie_service.to_view(n, key_ring).model_dump(mode="json") for n in notities
            ],
            "aangifte": aangifte.model_dump(mode="json") if aangifte else None,
            "nazorgmomenten": [
                nazorg_service.to_view(m, key_ring).model_dump(mode="json") for m in momenten
            ],
            "inzages": [inzage_service.to_view(i).model_dump(mode="json") for i in inzages],
            "bijlagen": [
                bijlage_service.to_view(b, key_ring, voor_behandelaar=False) for b in bijlagen
            ],
        }
        meldingen.append(view)
    return {"subject": caller.sub, "meldingen": meldingen}
