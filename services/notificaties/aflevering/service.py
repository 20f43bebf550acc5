"""The rules of delivering: what an attempt's outcome means, retries, 410, replay, the log."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.problems import Conflict, NotFound
from services.common.types import utcnow
from services.notificaties.abonnement import service as abonnementen
from services.notificaties.abonnement.models import Abonnement
from services.notificaties.aflevering import repository
from services.notificaties.aflevering.models import Aflevering, Poging
from services.notificaties.aflevering.states import (
    AFGELEVERD,
    GEPLAND,
    HERHAALBAAR,
    MISLUKT,
    OPEN,
    OPNIEUW_GEPLAND,
    VERVALLEN,
)
from services.notificaties.aflevering.verzender import Uitkomst


@dataclass(frozen=True)
class Vervolg:
    status: str
    volgende_poging_op: datetime | None


def vervolg(uitkomst: Uitkomst, poging: int, schema: Sequence[float], nu: datetime) -> Vervolg:
    """Any 2xx is delivered; 410 ends it; otherwise the next delay of the schedule, or failed."""
    if uitkomst.geslaagd:
        return Vervolg(AFGELEVERD, None)
    if uitkomst.http_status == 410 or poging > len(schema):
        return Vervolg(MISLUKT, None)
    return Vervolg(OPNIEUW_GEPLAND, nu + timedelta(seconds=schema[poging - 1]))


async def leg_vast(
    session: AsyncSession, aflevering: Aflevering, uitkomst: Uitkomst, schema: Sequence[float]
) -> Poging:
    """Log the attempt and move the delivery on; 410 Gone switches the subscription off."""
    nu = utcnow()
    aflevering.pogingen += 1
    stap = vervolg(uitkomst, aflevering.pogingen - aflevering.reeks_vanaf, schema, nu)
    aflevering.status = stap.status
    if stap.volgende_poging_op is not None:
        aflevering.volgende_poging_op = stap.volgende_poging_op
    aflevering.geclaimd_tot = None
    poging = Poging(
        id=uuid.uuid4(),
        aflevering_id=aflevering.id,
        abonnement_id=aflevering.abonnement_id,
        gebeurtenis_id=aflevering.gebeurtenis_id,
        type=aflevering.type,
        poging=aflevering.pogingen,
        tijdstip=nu,
        status=stap.status,
        http_status=uitkomst.http_status,
        duur_ms=uitkomst.duur_ms,
        fout=uitkomst.fout,
    )
    repository.add_poging(session, poging)
    if uitkomst.http_status == 410:
        await abonnementen.schakel_uit(session, aflevering.abonnement_id, abonnementen.GONE)
    await session.flush()
    return poging


async def vervalt(session: AsyncSession, aflevering: Aflevering) -> None:
    """Out of reach at its turn: no attempt, no log line, nothing counted."""
    aflevering.status = VERVALLEN
    aflevering.geclaimd_tot = None
    await session.flush()


async def geef_vrij(session: AsyncSession, aflevering: Aflevering) -> None:
    aflevering.geclaimd_tot = None
    await session.flush()


async def opnieuw(session: AsyncSession, abonnement: Abonnement, some_id: uuid.UUID) -> Aflevering:
    """Deliver again: a failed one, or a delivered one the receiver lost."""
    aflevering = await repository.of_abonnement(session, abonnement.id, some_id)
    if aflevering is None or aflevering.status == VERVALLEN:
        raise NotFound("Deze aflevering bestaat niet bij dit abonnement.")
    if aflevering.status in OPEN:
        raise Conflict("Deze aflevering staat al gepland.", code="aflevering-loopt")
    if not abonnement.actief:
        raise Conflict("Het abonnement staat uit; zet het eerst aan.", code="abonnement-uit")
    assert aflevering.status in HERHAALBAAR
    aflevering.status = GEPLAND
    aflevering.reeks_vanaf = aflevering.pogingen
    aflevering.volgende_poging_op = utcnow()
    aflevering.geclaimd_tot = None
    await session.flush()
    return aflevering


async def log(
    session: AsyncSession, abonnement: Abonnement, *, offset: int, limit: int
) -> tuple[int, Sequence[Poging]]:
    count = await repository.count_pogingen(session, abonnement.id)
    return count, await repository.list_pogingen(session, abonnement.id, offset=offset, limit=limit)
