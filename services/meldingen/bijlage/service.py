"""Evidence attachments: the rules of adding, listing, reading and downloading them.

An upload streams for as long as the client takes, so it holds no transaction open while it
does: reach and the 20-per-melding rule are checked in one short transaction before the body
is read, the body is received outside any (see ontvangst.py), and everything is stored in a
second short transaction that checks reach and the count again under the melding's lock.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.crypto import KeyRing
from services.common.principal import Principal
from services.common.problems import Conflict, InvalidInput, NotFound
from services.common.types import utcnow
from services.meldingen import events
from services.meldingen.bijlage import quotum, repository
from services.meldingen.bijlage.enums import Scanstatus
from services.meldingen.bijlage.models import Bijlage
from services.meldingen.bijlage.ontvangst import Ontvangen, ontvang
from services.meldingen.bijlage.schemas import MAX_OMSCHRIJVING, BijlageOut
from services.meldingen.db import AAD
from services.meldingen.inzage.enums import Actie
from services.meldingen.inzage.service import registreer
from services.meldingen.melding import service as melding_service
from services.meldingen.melding.enums import Rol
from services.meldingen.melding.models import Melding
from services.meldingen.reach import als_melder, mag_behandelen

MAX_PER_MELDING = 20
_BATCH = 4  # segments read per query when streaming content out


class TeVeelBijlagen(Conflict):
    code = "te-veel-bijlagen"
    title = "Deze melding heeft al 20 bijlagen."


class InhoudNietBeschikbaar(Conflict):
    code = "bijlage-niet-beschikbaar"
    title = "De inhoud van deze bijlage wordt niet geleverd."


def deel_aad(melding_id: uuid.UUID, bijlage_id: uuid.UUID, volgnummer: int, last: bool) -> str:
    """Each segment is bound to its melding, attachment, place and whether it is the last."""
    end = ("laatste",) if last else ()
    return AAD.parts("bijlage", melding_id, bijlage_id, "deel", volgnummer, *end)


OMSCHRIJVING_AAD = AAD.for_column("bijlage", "omschrijving")
NAAM_AAD = AAD.for_column("bijlage", "oorspronkelijke_naam")
BESTANDSNAAM_AAD = AAD.for_column("bijlage", "bestandsnaam")


def bestandsnaam(bijlage: Bijlage, key_ring: KeyRing) -> str | None:
    if bijlage.bestandsnaam_versleuteld is None:
        return None
    return key_ring.decrypt(bijlage.bestandsnaam_versleuteld, aad=BESTANDSNAAM_AAD(bijlage.id))


def to_view(bijlage: Bijlage, key_ring: KeyRing, *, voor_behandelaar: bool) -> BijlageOut:
    """The attachment's metadata; the name as sent only for a handler (left unset otherwise,
    so the routes leave it out, see `response_model_exclude_unset`)."""
    omschrijving = None
    if bijlage.omschrijving_versleuteld is not None:
        omschrijving = key_ring.decrypt(
            bijlage.omschrijving_versleuteld, aad=OMSCHRIJVING_AAD(bijlage.id)
        )
    alleen_behandelaar: dict[str, Any] = {}
    if voor_behandelaar:
        naam = _oorspronkelijke_naam(bijlage, key_ring)
        alleen_behandelaar["oorspronkelijke_bestandsnaam"] = naam
    return BijlageOut(
        id=bijlage.id,
        bestandsnaam=bestandsnaam(bijlage, key_ring),
        mediatype=bijlage.mediatype,
        grootte=bijlage.grootte,
        sha256=bijlage.sha256,
        scanstatus=Scanstatus(bijlage.scanstatus),
        omschrijving=omschrijving,
        zichtbaar_voor_melder=bijlage.zichtbaar_voor_melder,
        aangemaakt_op=bijlage.aangemaakt_op,
        rol=bijlage.rol,
        **alleen_behandelaar,
    )


def _oorspronkelijke_naam(bijlage: Bijlage, key_ring: KeyRing) -> str | None:
    if bijlage.oorspronkelijke_naam_versleuteld is None:
        return None
    return key_ring.decrypt(bijlage.oorspronkelijke_naam_versleuteld, aad=NAAM_AAD(bijlage.id))


def voor_behandelaar(caller: Principal, melding: Melding) -> bool:
    return mag_behandelen(caller, melding)


# ---- adding -----------------------------------------------------------------------------------


def _rol(caller: Principal, melding: Melding) -> Rol:
    # In reach means reporter or handler; the reporter is the reporter even if also a handler.
    return Rol.melder if als_melder(caller, melding) else Rol.behandelaar


async def _check_room(session: AsyncSession, melding: Melding) -> None:
    if await repository.count_for_melding(session, melding.id) >= MAX_PER_MELDING:
        raise TeVeelBijlagen(f"Een melding heeft hoogstens {MAX_PER_MELDING} bijlagen.")


def _zichtbaar(rol: Rol, raw: str | None) -> bool:
    if raw is None:
        return True  # evidence in the reporter's case: visible unless a handler says otherwise
    if raw not in ("true", "false"):
        raise InvalidInput.field("zichtbaarVoorMelder", "type", "Gebruik true of false.")
    # The reporter's own attachment is always visible to them, like their notes.
    return rol is Rol.melder or raw == "true"


def _omschrijving(raw: str | None) -> str | None:
    if raw is None or raw == "":
        return None
    if len(raw) > MAX_OMSCHRIJVING:
        raise InvalidInput.field(
            "omschrijving", "max_length", f"Hoogstens {MAX_OMSCHRIJVING} tekens."
        )
    return raw


@dataclass(frozen=True)
class Toegevoegd:
    bijlage: Bijlage
    view: BijlageOut


async def add_bijlage(
    sessions: async_sessionmaker[AsyncSession],
    *,
    caller: Principal,
    melding_id: uuid.UUID,
    stream: AsyncIterator[bytes],
    content_type: str | None,
    key_ring: KeyRing,
    scannen: bool,
    quotum_bytes: int,
) -> Toegevoegd:
    """Check, receive, store; the attachment starts `in_afwachting` when it will be scanned."""
    async with sessions() as session:
        melding = await melding_service.melding_in_reach(session, caller, melding_id)
        await _check_room(session, melding)
        await quotum.controleer(session, caller, quotum_bytes=quotum_bytes)
        await session.rollback()
    bijlage_id = uuid.uuid4()

    def aad(volgnummer: int, last: bool) -> str:
        return deel_aad(melding_id, bijlage_id, volgnummer, last)

    ontvangen = await ontvang(stream, content_type=content_type, key_ring=key_ring, aad=aad)
    try:
        async with sessions() as session:
            try:
                await quotum.controleer(
                    session, caller, quotum_bytes=quotum_bytes, erbij=ontvangen.grootte
                )
                bijlage = await _store(
                    session, caller, melding_id, bijlage_id, ontvangen, key_ring, scannen
                )
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
    finally:
        ontvangen.close()
    return Toegevoegd(bijlage, to_view(bijlage, key_ring, voor_behandelaar=False))


async def _store(
    session: AsyncSession,
    caller: Principal,
    melding_id: uuid.UUID,
    bijlage_id: uuid.UUID,
    ontvangen: Ontvangen,
    key_ring: KeyRing,
    scannen: bool,
) -> Bijlage:
    melding = await melding_service.melding_in_reach(session, caller, melding_id, for_update=True)
    await _check_room(session, melding)
    rol = _rol(caller, melding)
    omschrijving = _omschrijving(ontvangen.velden.get("omschrijving"))
    bijlage = Bijlage(
        id=bijlage_id,
        melding_id=melding.id,
        bestandsnaam_versleuteld=key_ring.encrypt(
            ontvangen.bestandsnaam, aad=BESTANDSNAAM_AAD(bijlage_id)
        ),
        oorspronkelijke_naam_versleuteld=key_ring.encrypt(
            ontvangen.oorspronkelijke_naam, aad=NAAM_AAD(bijlage_id)
        ),
        mediatype=ontvangen.mediatype,
        grootte=ontvangen.grootte,
        sha256=ontvangen.sha256,
        scanstatus=Scanstatus.in_afwachting if scannen else Scanstatus.niet_gescand,
        omschrijving_versleuteld=(
            key_ring.encrypt(omschrijving, aad=OMSCHRIJVING_AAD(bijlage_id))
            if omschrijving is not None
            else None
        ),
        zichtbaar_voor_melder=_zichtbaar(rol, ontvangen.velden.get("zichtbaarVoorMelder")),
        sleutel=ontvangen.sleutel,
        delen=len(ontvangen.segmenten),
        toegevoegd_door=caller.sub,
        rol=rol,
        aangemaakt_op=utcnow(),
    )
    repository.add(session, bijlage)
    await session.flush()
    async for number, sealed in ontvangen.segments():
        await repository.add_deel(session, bijlage_id, number, sealed)
    registreer(session, melding, caller, Actie.bijlage_toegevoegd)
    events.bijlage_toegevoegd(session, melding, bijlage)
    return bijlage


# ---- reading ----------------------------------------------------------------------------------


async def list_bijlagen(
    session: AsyncSession,
    melding: Melding,
    *,
    caller: Principal,
    offset: int,
    limit: int,
) -> tuple[int, Sequence[Bijlage]]:
    registreer(session, melding, caller, Actie.bekeken)
    return await repository.list_bijlagen(
        session,
        melding.id,
        alleen_zichtbaar=not voor_behandelaar(caller, melding),
        offset=offset,
        limit=limit,
    )


def parse_bijlage_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise NotFound("Bijlage niet gevonden.") from exc


async def bijlage_in_reach(
    session: AsyncSession, melding: Melding, caller: Principal, bijlage_id: uuid.UUID
) -> Bijlage:
    bijlage = await repository.get(session, melding.id, bijlage_id)
    if bijlage is None or not (bijlage.zichtbaar_voor_melder or voor_behandelaar(caller, melding)):
        raise NotFound("Bijlage niet gevonden.")
    return bijlage


async def read_bijlage(
    session: AsyncSession, melding: Melding, caller: Principal, bijlage_id: uuid.UUID
) -> Bijlage:
    bijlage = await bijlage_in_reach(session, melding, caller, bijlage_id)
    registreer(session, melding, caller, Actie.bekeken)
    return bijlage


def mag_geleverd(bijlage: Bijlage, *, production: bool) -> bool:
    if bijlage.scanstatus == Scanstatus.schoon:
        return True
    return bijlage.scanstatus == Scanstatus.niet_gescand and not production


async def download(
    session: AsyncSession,
    melding: Melding,
    caller: Principal,
    bijlage_id: uuid.UUID,
    *,
    production: bool,
) -> Bijlage:
    """The attachment whose content may be served now; logs the download."""
    bijlage = await bijlage_in_reach(session, melding, caller, bijlage_id)
    if bijlage.inhoud_gewist_op is not None or bijlage.sleutel is None:
        raise InhoudNietBeschikbaar("De inhoud is gewist.", code="bijlage-gewist")
    if not mag_geleverd(bijlage, production=production):
        if bijlage.scanstatus == Scanstatus.in_afwachting:
            raise InhoudNietBeschikbaar(
                "De virusscan loopt nog; probeer het straks opnieuw.",
                code="bijlage-scan-in-afwachting",
                headers={"Retry-After": "10"},
            )
        raise InhoudNietBeschikbaar(
            f"Een bijlage met scanstatus {bijlage.scanstatus} wordt niet geleverd."
        )
    registreer(session, melding, caller, Actie.bijlage_bekeken)
    return bijlage


async def inhoud(
    sessions: async_sessionmaker[AsyncSession], key_ring: KeyRing, bijlage: Bijlage
) -> AsyncIterator[bytes]:
    """The plaintext, segment by segment, each in a short read of its own."""
    assert bijlage.sleutel is not None
    kid = bijlage.sleutel
    for start in range(0, bijlage.delen, _BATCH):
        async with sessions() as session:
            rows = await repository.delen(session, bijlage.id, vanaf=start, aantal=_BATCH)
            await session.rollback()
        expected = list(range(start, min(start + _BATCH, bijlage.delen)))
        if [number for number, _ in rows] != expected:
            raise InhoudWeg("segments of the content are missing")
        for number, sealed in rows:
            last = number == bijlage.delen - 1
            aad = deel_aad(bijlage.melding_id, bijlage.id, number, last)
            yield key_ring.decrypt_bytes(sealed, kid=kid, aad=aad)


class InhoudWeg(RuntimeError):
    """The content disappeared while it was being read (erased by retention or a scan)."""


WakeUp = Callable[[], None]
