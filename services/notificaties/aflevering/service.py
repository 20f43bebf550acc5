"""The rules of delivering: what an attempt's outcome means, retries, 410, replay, the log."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.crypto import KeyRing
from services.common.problems import Conflict, NotFound
from services.common.types import utcnow
from services.notificaties.abonnement import service as abonnementen
from services.notificaties.abonnement.models import Abonnement
from services.notificaties.aflevering import breaker, repository
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
from services.notificaties.gebeurtenis import service as gebeurtenis_service


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


def _leg_vast(
    session: AsyncSession, aflevering: Aflevering, uitkomst: Uitkomst, schema: Sequence[float]
) -> Poging:
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
    return poging


async def leg_vast(
    session: AsyncSession, aflevering: Aflevering, uitkomst: Uitkomst, schema: Sequence[float]
) -> Poging:
    """Log the attempt and move the delivery on; 410 Gone switches the subscription off."""
    poging = _leg_vast(session, aflevering, uitkomst, schema)
    if uitkomst.http_status == 410:
        await abonnementen.schakel_uit(session, aflevering.abonnement_id, abonnementen.GONE)
    await session.flush()
    return poging


@dataclass(frozen=True)
class Zending:
    """One claimed delivery, with what sending it needs."""

    aflevering_id: uuid.UUID
    event_id: str
    body: str
    in_bereik: bool


@dataclass(frozen=True)
class Reeks:
    """A subscription's due deliveries, claimed together until `tot`, to go out in order."""

    abonnement_id: uuid.UUID
    url: str
    secrets: list[str]
    tot: datetime
    zendingen: list[Zending]


async def claim_reeks(
    session: AsyncSession,
    key_ring: KeyRing,
    abonnement_id: uuid.UUID,
    *,
    nu: datetime,
    tot: datetime,
    limit: int,
) -> Reeks | None:
    """Claim the subscription's first due deliveries (event order), at most `limit`.

    None when another process holds the subscription or one of its first open deliveries,
    or when the first is not due: order per subscription means nothing may pass it. The
    run stops at the first delivery that is not due (one waiting for its retry).
    Reach is decided now, with the roles the subscription holds now. While its breaker is
    open the subscription is not due before the probe's moment, and then the probe is its
    first due delivery alone.
    """
    abonnement = await repository.lock_abonnement(session, abonnement_id)
    if abonnement is None:
        return None
    if abonnement.onderbroken_tot is not None:
        if abonnement.onderbroken_tot > nu:
            return None
        limit = 1
    open_ = await repository.first_open(session, abonnement_id, limit=limit)
    if any(a.geclaimd_tot is not None and a.geclaimd_tot >= nu for a in open_):
        return None
    due = list(itertools.takewhile(lambda a: a.volgende_poging_op <= nu, open_))
    if not due:
        return None
    events = await repository.gebeurtenissen(session, [a.gebeurtenis_id for a in due])
    zendingen = []
    for aflevering in due:
        gebeurtenis = events.get(aflevering.gebeurtenis_id)
        if gebeurtenis is None:
            break  # removed meanwhile: the claim runs out, nothing behind it goes first
        bereik = gebeurtenis_service.bereik_van(key_ring, gebeurtenis)
        zendingen.append(
            Zending(
                aflevering_id=aflevering.id,
                event_id=str(gebeurtenis.id),
                body=gebeurtenis.envelope,
                in_bereik=gebeurtenis_service.wil_en_mag(
                    abonnement, gebeurtenis.type, bereik, gebeurtenis.envelope
                ),
            )
        )
    if not zendingen:
        return None
    await repository.claim_many(session, [z.aflevering_id for z in zendingen], tot=tot)
    geheimen = abonnementen.geheimen(key_ring, abonnement, nu=nu)
    return Reeks(
        abonnement_id=abonnement_id,
        url=abonnement.callback_url,
        secrets=[geheimen.huidig, *filter(None, [geheimen.vorig])],
        tot=tot,
        zendingen=zendingen,
    )


async def leg_reeks_vast(
    session: AsyncSession,
    reeks: Reeks,
    uitkomsten: Mapping[uuid.UUID, Uitkomst],
    schema: Sequence[float],
    *,
    drempel: int,
) -> None:
    """Record a claimed run in one transaction: each attempt made is logged, each delivery
    found out of reach is dropped, the rest is given back untouched (still in order), and the
    subscription's breaker moves on by the attempts made.

    Only deliveries this claim still holds are touched: when the claim ran out and another
    process took them, that process records them.
    """
    ids = [z.aflevering_id for z in reeks.zendingen]
    if not ids:
        return
    # The subscription's row first, as a claim takes it: two processes never wait for each
    # other's locks the other way round.
    was = breaker.Stand(*await repository.breaker_van(session, reeks.abonnement_id))
    rows = await repository.get_many(session, ids)
    gemaakt: list[Uitkomst] = []
    gone = False
    for zending in reeks.zendingen:
        aflevering = rows.get(zending.aflevering_id)
        if aflevering is None or aflevering.status not in OPEN:
            continue  # the subscription was deleted meanwhile
        if aflevering.geclaimd_tot != reeks.tot:
            continue
        uitkomst = uitkomsten.get(zending.aflevering_id)
        if not zending.in_bereik:
            aflevering.status = VERVALLEN
            aflevering.geclaimd_tot = None
        elif uitkomst is not None:
            _leg_vast(session, aflevering, uitkomst, schema)
            gemaakt.append(uitkomst)
            gone = gone or uitkomst.http_status == 410
        else:
            aflevering.geclaimd_tot = None
    stand = breaker.na(was, gemaakt, drempel=drempel, schema=schema, nu=utcnow())
    if stand != was:
        await repository.zet_breaker(
            session,
            reeks.abonnement_id,
            fouten_op_rij=stand.fouten_op_rij,
            onderbroken_tot=stand.onderbroken_tot,
        )
    if gone:
        await abonnementen.schakel_uit(session, reeks.abonnement_id, abonnementen.GONE)
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
    nu = utcnow()
    aflevering.status = GEPLAND
    aflevering.reeks_vanaf = aflevering.pogingen
    aflevering.volgende_poging_op = nu
    if abonnement.onderbroken_tot is not None:
        # Asked for by hand: the breaker's probe goes now instead of at its interval (still
        # one; when it fails, the next waits for the next interval).
        abonnement.onderbroken_tot = nu
    aflevering.geclaimd_tot = None
    await session.flush()
    return aflevering


async def log(
    session: AsyncSession, abonnement: Abonnement, *, offset: int, limit: int
) -> tuple[int, Sequence[Poging]]:
    count = await repository.count_pogingen(session, abonnement.id)
    return count, await repository.list_pogingen(session, abonnement.id, offset=offset, limit=limit)
