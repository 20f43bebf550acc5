"""The rules of subscriptions: ownership, callback safety, secrets and their rotation.

A subscription belongs to the caller's `sub` (for a `client_credentials` token that is the
client's own subject, so it belongs to the client). Others see 404, never 403.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.crypto import KeyRing
from services.common.principal import Principal
from services.common.problems import Conflict, InvalidInput, NotFound
from services.common.types import utcnow
from services.notificaties import callback
from services.notificaties.abonnement import repository
from services.notificaties.abonnement.models import Abonnement
from services.notificaties.abonnement.schemas import AbonnementCreate, AbonnementPatch
from services.notificaties.config import NotificatiesSettings

SECRET_PREFIX = "whsec_"  # noqa: S105  (the prefix, not a secret)
GONE = "gone"


@dataclass(frozen=True)
class Geheimen:
    """The secrets that sign now: the current one, and the previous during the overlap."""

    huidig: str
    vorig: str | None


def nieuw_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def _aad(abonnement_id: uuid.UUID, kolom: str) -> str:
    return f"notificaties.abonnement:{abonnement_id}:{kolom}"


def geheimen(key_ring: KeyRing, abonnement: Abonnement, *, nu: datetime) -> Geheimen:
    huidig = key_ring.decrypt(abonnement.geheim, aad=_aad(abonnement.id, "geheim"))
    vorig = None
    if abonnement.vorig_geheim and abonnement.vorig_geheim_tot and abonnement.vorig_geheim_tot > nu:
        vorig = key_ring.decrypt(abonnement.vorig_geheim, aad=_aad(abonnement.id, "vorig_geheim"))
    return Geheimen(huidig, vorig)


async def controleer_callback(settings: NotificatiesSettings, url: str) -> None:
    try:
        await callback.check(
            url, allowed_hosts=settings.allowed_hosts, https_required=settings.https_required
        )
    except callback.CallbackRefused as refused:
        raise InvalidInput.field("callbackUrl", refused.code, refused.reason) from None


async def maak(
    session: AsyncSession,
    settings: NotificatiesSettings,
    key_ring: KeyRing,
    caller: Principal,
    data: AbonnementCreate,
) -> tuple[Abonnement, str]:
    await controleer_callback(settings, data.callback_url)
    if await repository.count_own(session, caller.sub) >= settings.max_abonnementen_per_eigenaar:
        raise Conflict(
            f"Hoogstens {settings.max_abonnementen_per_eigenaar} abonnementen per eigenaar.",
            code="te-veel-abonnementen",
        )
    nu = utcnow()
    abonnement_id = uuid.uuid4()
    secret = nieuw_secret()
    abonnement = Abonnement(
        id=abonnement_id,
        eigenaar=caller.sub,
        client_id=caller.client_id,
        rollen=sorted(caller.roles),
        organisatie=caller.org,
        callback_url=data.callback_url,
        types=list(data.types),
        organisaties=list(data.organisaties) if data.organisaties else None,
        actief=True,
        geheim=key_ring.encrypt(secret, aad=_aad(abonnement_id, "geheim")),
        aangemaakt_op=nu,
        gewijzigd_op=nu,
    )
    repository.add(session, abonnement)
    await session.flush()
    return abonnement, secret


async def eigen(session: AsyncSession, caller: Principal, abonnement_id: uuid.UUID) -> Abonnement:
    abonnement = await repository.get_own(session, abonnement_id, caller.sub)
    if abonnement is None:
        raise NotFound("Dit abonnement bestaat niet of is niet van u.")
    return abonnement


async def lijst(
    session: AsyncSession, caller: Principal, *, offset: int, limit: int
) -> tuple[int, Sequence[Abonnement]]:
    count = await repository.count_own(session, caller.sub)
    return count, await repository.list_own(session, caller.sub, offset=offset, limit=limit)


async def wijzig(
    session: AsyncSession,
    settings: NotificatiesSettings,
    caller: Principal,
    abonnement: Abonnement,
    data: AbonnementPatch,
) -> Abonnement:
    velden = data.model_fields_set
    if "callback_url" in velden and data.callback_url is not None:
        await controleer_callback(settings, data.callback_url)
        if data.callback_url != abonnement.callback_url:
            _sluit_breaker(abonnement)  # another receiver: its own first attempts
        abonnement.callback_url = data.callback_url
    if "types" in velden and data.types is not None:
        abonnement.types = list(data.types)
    if "organisaties" in velden:
        abonnement.organisaties = list(data.organisaties) if data.organisaties else None
    if "actief" in velden and data.actief is not None:
        if data.actief and not abonnement.actief:
            abonnement.uitgeschakeld_reden = None
            _sluit_breaker(abonnement)  # switched on again by its owner: tried at once
        abonnement.actief = data.actief
    # Reach follows the owner's current token: a role taken away stops deliveries.
    abonnement.rollen = sorted(caller.roles)
    abonnement.organisatie = caller.org
    abonnement.versie += 1
    abonnement.gewijzigd_op = utcnow()
    await session.flush()
    return abonnement


def _sluit_breaker(abonnement: Abonnement) -> None:
    abonnement.fouten_op_rij = 0
    abonnement.onderbroken_tot = None


async def verwijder(session: AsyncSession, abonnement: Abonnement) -> None:
    await repository.delete(session, abonnement)
    await session.flush()


async def vernieuw_secret(
    session: AsyncSession,
    settings: NotificatiesSettings,
    key_ring: KeyRing,
    abonnement: Abonnement,
) -> tuple[Abonnement, str]:
    """A new secret signs from now on; the old one keeps signing beside it for the overlap."""
    nu = utcnow()
    oud = key_ring.decrypt(abonnement.geheim, aad=_aad(abonnement.id, "geheim"))
    secret = nieuw_secret()
    abonnement.vorig_geheim = key_ring.encrypt(oud, aad=_aad(abonnement.id, "vorig_geheim"))
    abonnement.vorig_geheim_tot = nu + timedelta(seconds=settings.webhook_secret_overlap_seconds)
    abonnement.geheim = key_ring.encrypt(secret, aad=_aad(abonnement.id, "geheim"))
    abonnement.versie += 1
    abonnement.gewijzigd_op = nu
    await session.flush()
    return abonnement, secret


def zichtbaar_vorig_tot(abonnement: Abonnement) -> datetime | None:
    tot = abonnement.vorig_geheim_tot
    return tot if tot is not None and tot > utcnow() else None


async def schakel_uit(session: AsyncSession, abonnement_id: uuid.UUID, reden: str) -> None:
    abonnement = await repository.get(session, abonnement_id)
    if abonnement is not None and abonnement.actief:
        abonnement.actief = False
        abonnement.uitgeschakeld_reden = reden
        abonnement.gewijzigd_op = utcnow()
        await session.flush()
