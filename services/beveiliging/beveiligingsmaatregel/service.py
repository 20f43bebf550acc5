"""Rules for measures per person: advisers in reach create and move them; the person reads."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.beveiliging import events
from services.beveiliging.beveiligingsmaatregel import repository, states
from services.beveiliging.beveiligingsmaatregel.models import Beveiligingsmaatregel
from services.beveiliging.beveiligingsmaatregel.schemas import (
    BeveiligingsmaatregelCreate,
    BeveiligingsmaatregelOut,
    MaatregelStatuswijzigingCreate,
    als_decimaal,
    naar_centen,
)
from services.beveiliging.beveiligingsmaatregel.states import (
    MAATREGEL_MACHINE,
    Financier,
    MaatregelStatus,
)
from services.beveiliging.errors import (
    GeenToegang,
    NietGevonden,
    ongeldig,
)
from services.beveiliging.maatregel import repository as catalogus
from services.beveiliging.organisatie import bepaal_organisatie
from services.beveiliging.reach import actoren, in_bereik
from services.beveiliging.woningscan import repository as scans
from services.common.principal import Principal
from services.common.types import utcnow

_S = MaatregelStatus
# Nobody handles their own case (DESIGN.md), advisers included.
ZELF_ADVISEREN = "Niemand adviseert voor zichzelf: een andere adviseur adviseert deze maatregel."
OPEN_STATUSSEN = (_S.geadviseerd, _S.goedgekeurd, _S.geplaatst)


def nieuwe_maatregel(
    *,
    organisatie: str,
    betreft: str,
    maatregel: str,
    kosten_centen: int,
    financier: Financier,
    aangemaakt_door: str,
    woningscan_id: uuid.UUID | None = None,
    veiligheidspakket_id: uuid.UUID | None = None,
    einddatum: date | None = None,
) -> Beveiligingsmaatregel:
    nu = utcnow()
    return Beveiligingsmaatregel(
        id=uuid.uuid4(),
        organisatie=organisatie,
        betreft=betreft,
        maatregel=maatregel,
        woningscan_id=woningscan_id,
        veiligheidspakket_id=veiligheidspakket_id,
        kosten_centen=kosten_centen,
        financier=financier,
        einddatum=einddatum,
        status=MAATREGEL_MACHINE.initial,
        aangemaakt_door=aangemaakt_door,
        aangemaakt_op=nu,
        gewijzigd_op=nu,
    )


async def maak(
    *, session: AsyncSession, caller: Principal, nieuw: BeveiligingsmaatregelCreate
) -> Beveiligingsmaatregel:
    if nieuw.betreft == caller.sub:
        raise GeenToegang(ZELF_ADVISEREN)
    problemen: list[tuple[str, str, str]] = []
    if not await catalogus.actieve_codes(session, [nieuw.maatregel]):
        problemen.append(("maatregel", "enum", "Onbekende of ingetrokken maatregel."))
    organisatie = bepaal_organisatie(caller, nieuw.organisatie)
    if nieuw.woningscan_id is not None:
        scan = await scans.get(session, nieuw.woningscan_id)
        if scan is None or not in_bereik(caller, scan.organisatie, (scan.aanvrager, scan.betreft)):
            problemen.append(("woningscanId", "not_found", "Geen woningscan binnen bereik."))
        elif scan.betreft != nieuw.betreft:
            problemen.append(("betreft", "mismatch", "Niet de persoon van de woningscan."))
        else:
            organisatie = scan.organisatie
    if problemen:
        raise ongeldig(*problemen)
    maatregel = nieuwe_maatregel(
        organisatie=organisatie,
        betreft=nieuw.betreft,
        maatregel=nieuw.maatregel,
        kosten_centen=naar_centen(nieuw.kosten),
        financier=nieuw.financier,
        aangemaakt_door=caller.sub,
        woningscan_id=nieuw.woningscan_id,
        einddatum=nieuw.einddatum,
    )
    repository.add(session, maatregel)
    events.beveiligingsmaatregel_status_gewijzigd(session, maatregel, vorige_status=None)
    await session.flush()
    return maatregel


async def in_bereik_of_404(
    *, session: AsyncSession, caller: Principal, maatregel_id: uuid.UUID
) -> Beveiligingsmaatregel:
    maatregel = await repository.get(session, maatregel_id)
    if maatregel is None or not in_bereik(caller, maatregel.organisatie, (maatregel.betreft,)):
        raise NietGevonden("De beveiligingsmaatregel")
    return maatregel


async def lijst(
    *,
    session: AsyncSession,
    caller: Principal,
    status: MaatregelStatus | None,
    betreft: str | None,
    woningscan_id: uuid.UUID | None,
    verloopt_voor: date | None,
    offset: int,
    limit: int,
) -> tuple[int, list[BeveiligingsmaatregelOut]]:
    """`verloopt_voor`: open measures whose einddatum lies before that day, soonest first."""
    count, rows = await repository.lijst_in_bereik(
        session,
        caller,
        status=status,
        betreft=betreft,
        woningscan_id=woningscan_id,
        verloopt_voor=verloopt_voor,
        open_statussen=OPEN_STATUSSEN,
        offset=offset,
        limit=limit,
    )
    return count, [uit(m) for m in rows]


async def wijzig_status(
    *,
    session: AsyncSession,
    caller: Principal,
    maatregel: Beveiligingsmaatregel,
    wijziging: MaatregelStatuswijzigingCreate,
) -> Beveiligingsmaatregel:
    naar = wijziging.status
    if not MAATREGEL_MACHINE.may_request(
        actoren(caller, maatregel.organisatie, betreft=maatregel.betreft), naar
    ):
        raise GeenToegang("Alleen een adviseur binnen bereik wijzigt de status.")
    van = MaatregelStatus(maatregel.status)
    states.ensure_move(van, naar)
    maatregel.status = naar
    maatregel.gewijzigd_op = utcnow()
    events.beveiligingsmaatregel_status_gewijzigd(session, maatregel, vorige_status=van)
    await session.flush()
    return maatregel


def uit(maatregel: Beveiligingsmaatregel) -> BeveiligingsmaatregelOut:
    return BeveiligingsmaatregelOut(
        id=maatregel.id,
        maatregel=maatregel.maatregel,
        betreft=maatregel.betreft,
        organisatie=maatregel.organisatie,
        woningscan_id=maatregel.woningscan_id,
        veiligheidspakket_id=maatregel.veiligheidspakket_id,
        kosten=als_decimaal(maatregel.kosten_centen),
        financier=Financier(maatregel.financier),
        einddatum=maatregel.einddatum,
        status=MaatregelStatus(maatregel.status),
        aangemaakt_op=maatregel.aangemaakt_op,
        gewijzigd_op=maatregel.gewijzigd_op,
    )
