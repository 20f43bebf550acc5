"""The package for a starting mayor: intake, home scan request and standard measures.

Everything is created in the request's one transaction: the service only
flushes, the request boundary commits, and any failure midway rolls all of it
back. A second package for the same mayor and municipality is 409 (checked
first, and guarded by a unique constraint against a race).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.beveiliging import events
from services.beveiliging.beveiligingsmaatregel import repository as maatregelen
from services.beveiliging.beveiligingsmaatregel.models import Beveiligingsmaatregel
from services.beveiliging.beveiligingsmaatregel.service import nieuwe_maatregel
from services.beveiliging.beveiligingsmaatregel.states import MaatregelStatus
from services.beveiliging.errors import BestaatAl, GeenToegang, NietGevonden
from services.beveiliging.maatregel import repository as catalogus
from services.beveiliging.reach import OWB, in_bereik
from services.beveiliging.veiligheidspakket import repository
from services.beveiliging.veiligheidspakket.models import Intakegesprek, Veiligheidspakket
from services.beveiliging.veiligheidspakket.schemas import (
    IntakegesprekOut,
    PakketMaatregelOut,
    PakketWoningscanOut,
    VeiligheidspakketCreate,
    VeiligheidspakketOut,
)
from services.beveiliging.veiligheidspakket.standaard import STANDAARD_PAKKET
from services.beveiliging.woningscan import repository as scans
from services.beveiliging.woningscan.models import Woningscan
from services.beveiliging.woningscan.service import nieuwe_scan
from services.beveiliging.woningscan.states import WoningscanStatus
from services.common.crypto import KeyRing
from services.common.principal import Principal
from services.common.types import utcnow

INTAKE_TE_PLANNEN = "te_plannen"
REDEN = "Veiligheidspakket voor een startende burgemeester."
DUBBEL = "Deze burgemeester heeft in deze gemeente al een veiligheidspakket."


async def maak(
    *, session: AsyncSession, caller: Principal, key_ring: KeyRing, nieuw: VeiligheidspakketCreate
) -> VeiligheidspakketOut:
    if nieuw.burgemeester == caller.sub:  # nobody handles their own case (DESIGN.md)
        raise GeenToegang("Niemand maakt een veiligheidspakket voor zichzelf.")
    if caller.org not in {nieuw.gemeente, OWB}:
        raise GeenToegang("Alleen adviseurs van deze gemeente of van OWB maken dit pakket.")
    if await repository.bestaat(session, burgemeester=nieuw.burgemeester, gemeente=nieuw.gemeente):
        raise BestaatAl(DUBBEL)
    nu = utcnow()
    intake = Intakegesprek(
        id=uuid.uuid4(),
        organisatie=nieuw.gemeente,
        betreft=nieuw.burgemeester,
        status=INTAKE_TE_PLANNEN,
        aangemaakt_op=nu,
    )
    scan, historie = nieuwe_scan(
        key_ring=key_ring,
        organisatie=nieuw.gemeente,
        aanvrager=caller.sub,
        betreft=nieuw.burgemeester,
        reden=REDEN,
        adres=nieuw.adres,
        melding_id=None,
    )
    pakket = Veiligheidspakket(
        id=uuid.uuid4(),
        burgemeester=nieuw.burgemeester,
        gemeente=nieuw.gemeente,
        startdatum=nieuw.startdatum,
        intakegesprek_id=intake.id,
        woningscan_id=scan.id,
        aangemaakt_door=caller.sub,
        aangemaakt_op=nu,
    )
    try:
        repository.add(session, intake)
        scans.add(session, scan)
        await session.flush()
        scans.add_statuswijziging(session, historie)
        repository.add(session, pakket)
        await session.flush()
        actief = await catalogus.actieve_codes(session, [p.maatregel for p in STANDAARD_PAKKET])
        gemaakt: list[Beveiligingsmaatregel] = []
        for standaard in STANDAARD_PAKKET:
            if standaard.maatregel not in actief:
                continue  # retired by the beheerder: no longer part of the package
            maatregel = nieuwe_maatregel(
                organisatie=nieuw.gemeente,
                betreft=nieuw.burgemeester,
                maatregel=standaard.maatregel,
                kosten_centen=int(standaard.kosten * 100),
                financier=standaard.financier,
                aangemaakt_door=caller.sub,
                woningscan_id=scan.id,
                veiligheidspakket_id=pakket.id,
            )
            maatregelen.add(session, maatregel)
            gemaakt.append(maatregel)
        events.veiligheidspakket_aangemaakt(session, pakket)
        events.woningscan_aangevraagd(session, scan)
        for maatregel in gemaakt:
            events.beveiligingsmaatregel_status_gewijzigd(session, maatregel, vorige_status=None)
        await session.flush()
    except IntegrityError as exc:  # a concurrent second package for the same pair
        raise BestaatAl(
            "Deze burgemeester heeft in deze gemeente al een veiligheidspakket."
        ) from exc
    return uit(pakket, intake, scan, gemaakt)


async def in_bereik_of_404(
    *, session: AsyncSession, caller: Principal, pakket_id: uuid.UUID
) -> VeiligheidspakketOut:
    pakket = await repository.get(session, pakket_id)
    if pakket is None or not in_bereik(caller, pakket.gemeente, (pakket.burgemeester,)):
        raise NietGevonden("Het veiligheidspakket")
    intake = await repository.get_intake(session, pakket.intakegesprek_id)
    scan = await scans.get(session, pakket.woningscan_id)
    assert intake is not None  # foreign key
    assert scan is not None  # foreign key
    return uit(pakket, intake, scan, await maatregelen.van_pakket(session, pakket.id))


def uit(
    pakket: Veiligheidspakket,
    intake: Intakegesprek,
    scan: Woningscan,
    gemaakt: Sequence[Beveiligingsmaatregel],
) -> VeiligheidspakketOut:
    return VeiligheidspakketOut(
        id=pakket.id,
        burgemeester=pakket.burgemeester,
        gemeente=pakket.gemeente,
        startdatum=pakket.startdatum,
        intakegesprek=IntakegesprekOut(id=intake.id, status=intake.status, gepland=intake.gepland),
        woningscan=PakketWoningscanOut(id=scan.id, status=WoningscanStatus(scan.status)),
        maatregelen=[
            PakketMaatregelOut(id=m.id, maatregel=m.maatregel, status=MaatregelStatus(m.status))
            for m in gemaakt
        ],
        aangemaakt_op=pakket.aangemaakt_op,
    )
