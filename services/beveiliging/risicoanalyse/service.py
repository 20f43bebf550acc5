"""Risk-analysis rules: validation of every answer, scoring, storage with encrypted answers.

An analysis keeps the questionnaire version it was answered with; its score,
level and recommendations are stored as computed then, so a later version of
the rules never rewrites an old result.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.beveiliging.db import AAD
from services.beveiliging.errors import GeenToegang, NietGevonden, ongeldig
from services.beveiliging.maatregel import repository as catalogus
from services.beveiliging.organisatie import bepaal_organisatie
from services.beveiliging.reach import in_bereik, is_adviseur
from services.beveiliging.risicoanalyse import repository
from services.beveiliging.risicoanalyse.models import Risicoanalyse
from services.beveiliging.risicoanalyse.schemas import (
    RisicoanalyseCreate,
    RisicoanalyseOut,
    RisicoanalyseSummary,
    VraagOut,
    VragenlijstOut,
)
from services.beveiliging.risicoanalyse.scoring import beoordeel, valideer_antwoorden
from services.beveiliging.risicoanalyse.vragenlijst import (
    HUIDIGE_VERSIE,
    VRAGENLIJSTEN,
    Niveau,
    Vragenlijst,
)
from services.common.crypto import KeyRing
from services.common.principal import Principal
from services.common.types import utcnow


def vragenlijst_uit(vragenlijst: Vragenlijst | None = None) -> VragenlijstOut:
    lijst = vragenlijst or VRAGENLIJSTEN[HUIDIGE_VERSIE]
    return VragenlijstOut(
        versie=lijst.versie,
        vragen=[
            VraagOut(code=v.code, vraag=v.vraag, type=v.type, gewicht=v.gewicht)
            for v in lijst.vragen
        ],
        max_score=lijst.max_score,
        verhoogd_vanaf=lijst.verhoogd_vanaf,
        hoog_vanaf=lijst.hoog_vanaf,
    )


ANTWOORDEN_AAD = AAD.for_column("risicoanalyse", "antwoorden")


async def voer_uit(
    *, session: AsyncSession, caller: Principal, key_ring: KeyRing, nieuw: RisicoanalyseCreate
) -> Risicoanalyse:
    betreft = nieuw.betreft or caller.sub
    if betreft != caller.sub and not is_adviseur(caller):
        raise GeenToegang("Alleen een beveiligingsadviseur doet een analyse voor een ander.")
    vragenlijst = VRAGENLIJSTEN.get(nieuw.vragenlijst_versie)
    if vragenlijst is None:
        raise ongeldig(("vragenlijstVersie", "enum", f"Bekende versies: {sorted(VRAGENLIJSTEN)}."))
    problemen = valideer_antwoorden(vragenlijst, nieuw.antwoorden)
    if problemen:
        raise ongeldig(*((p.name, p.code, p.reason) for p in problemen))
    organisatie = bepaal_organisatie(caller, nieuw.organisatie)
    uitkomst = beoordeel(vragenlijst, nieuw.antwoorden)
    # A measure the beheerder retired is no longer recommended.
    actief = await catalogus.actieve_codes(session, uitkomst.aanbevolen_maatregelen)
    analyse_id = uuid.uuid4()
    antwoorden = {v.code: nieuw.antwoorden[v.code] for v in vragenlijst.vragen}
    analyse = Risicoanalyse(
        id=analyse_id,
        organisatie=organisatie,
        aanvrager=caller.sub,
        betreft=betreft,
        vragenlijst_versie=vragenlijst.versie,
        antwoorden_versleuteld=key_ring.encrypt(
            json.dumps(antwoorden), aad=ANTWOORDEN_AAD(analyse_id)
        ),
        score=uitkomst.score,
        niveau=uitkomst.niveau,
        aanbevolen_maatregelen=[c for c in uitkomst.aanbevolen_maatregelen if c in actief],
        melding_id=nieuw.melding_id,
        aangemaakt_op=utcnow(),
    )
    repository.add(session, analyse)
    await session.flush()
    return analyse


async def in_bereik_of_404(
    *, session: AsyncSession, caller: Principal, analyse_id: uuid.UUID
) -> Risicoanalyse:
    analyse = await repository.get(session, analyse_id)
    if analyse is None or not in_bereik(
        caller, analyse.organisatie, (analyse.aanvrager, analyse.betreft)
    ):
        raise NietGevonden("De risicoanalyse")
    return analyse


async def lijst(
    *, session: AsyncSession, caller: Principal, offset: int, limit: int
) -> tuple[int, list[RisicoanalyseSummary]]:
    count, rows = await repository.lijst_in_bereik(session, caller, offset=offset, limit=limit)
    return count, [uit(a) for a in rows]


def uit(analyse: Risicoanalyse) -> RisicoanalyseSummary:
    return RisicoanalyseSummary(
        id=analyse.id,
        score=analyse.score,
        max_score=VRAGENLIJSTEN[analyse.vragenlijst_versie].max_score,
        niveau=Niveau(analyse.niveau),
        aanbevolen_maatregelen=list(analyse.aanbevolen_maatregelen),
        vragenlijst_versie=analyse.vragenlijst_versie,
        organisatie=analyse.organisatie,
        aanvrager=analyse.aanvrager,
        betreft=analyse.betreft,
        melding_id=analyse.melding_id,
        aangemaakt_op=analyse.aangemaakt_op,
    )


def detail(key_ring: KeyRing, analyse: Risicoanalyse) -> RisicoanalyseOut:
    antwoorden = json.loads(
        key_ring.decrypt(analyse.antwoorden_versleuteld, aad=ANTWOORDEN_AAD(analyse.id))
    )
    return RisicoanalyseOut(**uit(analyse).model_dump(), antwoorden=antwoorden)
