"""Storing an event from the stream and deciding, by reach, who gets a delivery.

The consumer acks a message only after this transaction committed: the event and its
deliveries are in our database before JetStream forgets it, so a restart loses nothing.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.crypto import KeyRing
from services.common.types import utcnow
from services.notificaties.abonnement import repository as abonnementen
from services.notificaties.abonnement.models import Abonnement
from services.notificaties.aflevering import repository as afleveringen
from services.notificaties.aflevering.models import Aflevering
from services.notificaties.aflevering.states import GEPLAND
from services.notificaties.gebeurtenis import repository
from services.notificaties.gebeurtenis.models import Gebeurtenis
from services.notificaties.gebeurtenis.types import PREFIX, matches
from services.notificaties.reach import Ontvanger, in_bereik

MAX_ENVELOPE_BYTES = 256 * 1024


class OngeldigeGebeurtenis(ValueError):
    """A stream message that is no CloudEvent of ours: dropped, never retried."""


@dataclass(frozen=True)
class Binnenkomst:
    id: uuid.UUID
    type: str
    envelope: str
    bereik: dict[str, Any]


def lees(payload: bytes, bereik_header: str | None) -> Binnenkomst:
    if len(payload) > MAX_ENVELOPE_BYTES:
        raise OngeldigeGebeurtenis("envelope too large")
    try:
        envelope = json.loads(payload)
        bereik = json.loads(bereik_header) if bereik_header else {}
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OngeldigeGebeurtenis("not JSON") from exc
    if not isinstance(envelope, dict) or not isinstance(bereik, dict):
        raise OngeldigeGebeurtenis("not an object")
    event_type = envelope.get("type")
    if envelope.get("specversion") != "1.0" or not isinstance(event_type, str):
        raise OngeldigeGebeurtenis("not a CloudEvent 1.0")
    if not event_type.startswith(PREFIX) or len(event_type) > 200:
        raise OngeldigeGebeurtenis("not one of our types")
    try:
        event_id = uuid.UUID(str(envelope.get("id")))
    except ValueError as exc:
        raise OngeldigeGebeurtenis("id is not a UUID") from exc
    return Binnenkomst(event_id, event_type, payload.decode("utf-8"), bereik)


def bereik_aad(gebeurtenis_id: uuid.UUID) -> str:
    return f"notificaties.gebeurtenis:{gebeurtenis_id}:bereik"


def bereik_van(key_ring: KeyRing, gebeurtenis: Gebeurtenis) -> dict[str, Any]:
    value = json.loads(key_ring.decrypt(gebeurtenis.bereik, aad=bereik_aad(gebeurtenis.id)))
    assert isinstance(value, dict)
    return value


def ontvanger(abonnement: Abonnement) -> Ontvanger:
    return Ontvanger(abonnement.eigenaar, frozenset(abonnement.rollen), abonnement.organisatie)


def _organisatie(bereik: Mapping[str, Any], envelope: str) -> str | None:
    organisatie = bereik.get("organisatie")
    if isinstance(organisatie, str):
        return organisatie
    data = json.loads(envelope).get("data")
    value = data.get("organisatie") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def wil_en_mag(
    abonnement: Abonnement, event_type: str, bereik: Mapping[str, Any], envelope: str
) -> bool:
    """The subscription asked for this event, and its owner may know about it."""
    if not any(matches(pattern, event_type) for pattern in abonnement.types):
        return False
    if abonnement.organisaties:
        organisatie = _organisatie(bereik, envelope)
        if organisatie is not None and organisatie not in abonnement.organisaties:
            return False
    return in_bereik(ontvanger(abonnement), event_type, bereik)


async def opslaan(session: AsyncSession, key_ring: KeyRing, binnenkomst: Binnenkomst) -> int:
    """Store the event once and plan its deliveries; returns how many were planned."""
    return await opslaan_alle(session, key_ring, [binnenkomst])


async def opslaan_alle(
    session: AsyncSession, key_ring: KeyRing, binnenkomsten: Sequence[Binnenkomst]
) -> int:
    """Store a batch of events in stream order, each once, and plan their deliveries in the
    caller's one transaction; returns how many deliveries were planned.

    An id already stored (a redelivery, the relay's republish) or seen earlier in the batch is
    skipped; the rest get consecutive `volgnummer`s in the order given, so arrival order is the
    stream's order. The active subscriptions are read once for the whole batch."""
    bekend = await repository.existing_ids(session, [b.id for b in binnenkomsten])
    nieuw: list[Binnenkomst] = []
    for binnenkomst in binnenkomsten:
        if binnenkomst.id not in bekend:
            bekend.add(binnenkomst.id)
            nieuw.append(binnenkomst)
    if not nieuw:
        return 0
    nu = utcnow()
    volgnummer = await repository.next_volgnummer(session)
    gebeurtenissen = []
    for binnenkomst in nieuw:
        gebeurtenis = Gebeurtenis(
            id=binnenkomst.id,
            volgnummer=volgnummer,
            type=binnenkomst.type,
            envelope=binnenkomst.envelope,
            bereik=key_ring.encrypt(json.dumps(binnenkomst.bereik), aad=bereik_aad(binnenkomst.id)),
            ontvangen_op=nu,
        )
        volgnummer += 1
        repository.add(session, gebeurtenis)
        gebeurtenissen.append((binnenkomst, gebeurtenis))
    await session.flush()
    actief: Sequence[Abonnement] = await abonnementen.list_active(session)
    gepland = 0
    for binnenkomst, gebeurtenis in gebeurtenissen:
        for abonnement in actief:
            if not wil_en_mag(
                abonnement, binnenkomst.type, binnenkomst.bereik, binnenkomst.envelope
            ):
                continue
            afleveringen.add(
                session,
                Aflevering(
                    id=uuid.uuid4(),
                    abonnement_id=abonnement.id,
                    gebeurtenis_id=gebeurtenis.id,
                    volgnummer=gebeurtenis.volgnummer,
                    type=gebeurtenis.type,
                    status=GEPLAND,
                    pogingen=0,
                    volgende_poging_op=nu,
                    aangemaakt_op=nu,
                ),
            )
            gepland += 1
    await session.flush()
    return gepland


async def ruim_op(session: AsyncSession, *, bewaartermijn_seconden: float) -> int:
    """Delete what is older than the retention period and no longer needed for delivery."""
    grens = utcnow() - timedelta(seconds=bewaartermijn_seconden)
    return await repository.delete_before(session, grens)
