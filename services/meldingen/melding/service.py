"""The rules of reporting and handling a melding. No HTTP here: errors carry their status."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.crypto import KeyRing
from services.common.etag import require_if_match, version_etag
from services.common.principal import Principal
from services.common.problems import Conflict, Forbidden, InvalidInput, NotFound
from services.common.types import utcnow
from services.meldingen import events
from services.meldingen.db import AAD
from services.meldingen.inzage.enums import Actie
from services.meldingen.inzage.service import registreer
from services.meldingen.melding import repository
from services.meldingen.melding.advies import advies_voor
from services.meldingen.melding.enums import NATIONAL_TEAM, Prioriteit, Rol, Status, Verwijzing
from services.meldingen.melding.models import IdempotentVerzoek, Melding, Statuswijziging
from services.meldingen.melding.repository import Bereik
from services.meldingen.melding.schemas import (
    LijstFilter,
    MeldingCreate,
    MeldingInLijst,
    MeldingOut,
    StatuswijzigingCreate,
)
from services.meldingen.melding.states import CLOSED, MELDING_STATES
from services.meldingen.nazorg.service import plan_na_afhandeling
from services.meldingen.reach import (
    als_melder,
    bereik_van,
    in_bereik,
    mag_behandelen,
    require_handler,
)
from services.meldingen.statistiek import bijhouden as statistiek
from services.meldingen.statistiek.models import MeldingVorm
from services.meldingen.termijn.service import STANDAARD_TERMIJNEN, Termijn, reactie_uiterlijk

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class IdempotencyConflict(Conflict):
    code = "idempotency-key-conflict"
    title = "Deze Idempotency-Key is al gebruikt."


def maand_van(moment: datetime) -> str:
    """`YYYY-MM` in Europe/Amsterdam; strftime would not zero-pad years before 1000."""
    local = moment.astimezone(AMSTERDAM)
    return f"{local.year:04d}-{local.month:02d}"


OMSCHRIJVING_AAD = AAD.for_column("melding", "omschrijving")
TOELICHTING_AAD = AAD.for_column("statuswijziging", "toelichting")
IDEMPOTENCY_AAD = AAD.for_column("idempotent_verzoek", "antwoord")


def termijn_verstreken(melding: Melding, now: datetime) -> bool:
    """The respond-by time passed before a handler picked the melding up.

    The clock stops at the pickup, or at the close for a melding nobody picked up (withdrawn
    by its melder); reopening restarts nothing. The same rule as the list filter's SQL
    (repository.termijn_verstreken).
    """
    einde = melding.opgepakt_op or melding.afgesloten_op or now
    return einde > melding.reactie_uiterlijk


def _omschrijving(melding: Melding, key_ring: KeyRing) -> str | None:
    if melding.omschrijving_versleuteld is None:
        return None  # anonymised: the field stays, as null
    return key_ring.decrypt(melding.omschrijving_versleuteld, aad=OMSCHRIJVING_AAD(melding.id))


def zichtbare_velden(
    melding: Melding, key_ring: KeyRing, *, met_tekst: bool, voor_behandelaar: bool
) -> dict[str, Any]:
    """The fields of `melding` one reader may see, as keyword arguments for `MeldingOut`.

    A field this reader may not see is left out, so it stays unset in the model and the
    routes (`response_model_exclude_unset`) leave it out of the answer; a field that is
    null (an anonymised `omschrijving`, no `doorverwezenNaar`) is set, and shows as null.
    """
    velden: dict[str, Any] = {
        "id": melding.id,
        "kenmerk": melding.kenmerk,
        "gedragstype": melding.gedragstype,
        "vormen": melding.vormen,
        "datum_voorval": melding.datum_voorval.astimezone(UTC),
        "functie": melding.functie,
        "organisatie": melding.organisatie,
        "vertrouwelijk": melding.vertrouwelijk,
        "acuut_gevaar": melding.acuut_gevaar,
        "status": melding.status,
        "prioriteit": melding.prioriteit,
        "melder": melding.melder,
        "doorverwezen_naar": melding.doorverwezen_naar,
        "advies": melding.advies,
        "aangemaakt_op": melding.aangemaakt_op.astimezone(UTC),
        "gewijzigd_op": melding.gewijzigd_op.astimezone(UTC),
    }
    if met_tekst:
        velden["omschrijving"] = _omschrijving(melding, key_ring)
    if voor_behandelaar:
        velden |= _alleen_voor_behandelaar(melding)
    return velden


def _alleen_voor_behandelaar(melding: Melding) -> dict[str, Any]:
    """Who handles it, and the deadline: the melder is not told how fast they must be answered."""
    return {
        "behandelaar": melding.behandelaar,
        "reactie_uiterlijk": melding.reactie_uiterlijk.astimezone(UTC),
        "opgepakt_op": melding.opgepakt_op.astimezone(UTC) if melding.opgepakt_op else None,
        "termijn_verstreken": termijn_verstreken(melding, utcnow()),
    }


def to_view(melding: Melding, key_ring: KeyRing, caller: Principal) -> MeldingOut:
    """The melding as this caller may see it (the reporter sees neither handler nor deadline)."""
    return MeldingOut(
        **zichtbare_velden(
            melding, key_ring, met_tekst=True, voor_behandelaar=mag_behandelen(caller, melding)
        )
    )


def to_list_item(melding: Melding, key_ring: KeyRing, caller: Principal) -> MeldingInLijst:
    """As `to_view`, with the free text only in the caller's own meldingen: a handler reads it
    in the detail view, which is logged, so the reporter sees who read it (DESIGN.md part D)."""
    return MeldingInLijst(
        **zichtbare_velden(
            melding,
            key_ring,
            met_tekst=als_melder(caller, melding),
            voor_behandelaar=mag_behandelen(caller, melding),
        )
    )


def read_melding(
    session: AsyncSession, melding: Melding, caller: Principal, key_ring: KeyRing
) -> MeldingOut:
    """The detail view of one melding, logged as `bekeken` (not for its own melder)."""
    view = to_view(melding, key_ring, caller)
    registreer(session, melding, caller, Actie.bekeken)
    return view


def etag(melding: Melding) -> str:
    return version_etag(melding.id, melding.versie)


# ---- create ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreateOutcome:
    melding_id: uuid.UUID
    melding: MeldingOut  # the answer; on a replay the stored original, as it was first given
    replayed: bool


def request_fingerprint(data: MeldingCreate) -> str:
    canonical = json.dumps(
        data.model_dump(mode="json", by_alias=True, exclude_unset=True), sort_keys=True
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_create_rules(caller: Principal, data: MeldingCreate) -> tuple[str, str]:
    """The organisation and the reporter of a new melding, or 400."""
    is_handler = caller.has_role(Rol.behandelaar)
    national_handler = is_handler and caller.org == NATIONAL_TEAM
    organisatie = data.organisatie or caller.org
    if organisatie is None:
        raise InvalidInput.field(
            "organisatie", "required", "Uw token noemt geen organisatie; geef er een op."
        )
    if organisatie != caller.org and not national_handler:
        raise InvalidInput.field(
            "organisatie",
            "not_own_organisation",
            "Alleen het landelijke ondersteuningsteam meldt voor een andere organisatie.",
        )
    melder = data.melder or caller.sub
    if data.melder is not None and data.melder != caller.sub and not is_handler:
        raise InvalidInput.field(
            "melder", "not_allowed", "Alleen behandelaars melden namens een ander."
        )
    return organisatie, melder


async def _replay_or_conflict(
    session: AsyncSession,
    key_ring: KeyRing,
    caller: Principal,
    sleutel: str,
    fingerprint: str,
) -> CreateOutcome | None:
    if not await repository.try_idempotency_lock(session, caller.sub, sleutel):
        raise IdempotencyConflict("Een verzoek met deze Idempotency-Key is nog in behandeling.")
    now = utcnow()
    await repository.delete_expired_idempotent(session, caller.sub, sleutel, now)
    existing = await repository.find_idempotent(session, caller.sub, sleutel, now)
    if existing is None:
        return None
    if existing.verzoek_hash != fingerprint:
        raise IdempotencyConflict("Deze Idempotency-Key hoort bij een ander verzoek.")
    # Validated back into the model: exactly the stored fields are set, so the replay
    # carries the same keys as the first answer, whoever reads it now.
    original = MeldingOut.model_validate_json(
        key_ring.decrypt(existing.antwoord_versleuteld, aad=IDEMPOTENCY_AAD(existing.id))
    )
    return CreateOutcome(melding_id=existing.melding_id, melding=original, replayed=True)


async def create_melding(
    session: AsyncSession,
    *,
    key_ring: KeyRing,
    caller: Principal,
    data: MeldingCreate,
    idempotency_key: str | None,
    idempotency_hours: int,
    termijnen: Mapping[str, Termijn] = STANDAARD_TERMIJNEN,
) -> CreateOutcome:
    organisatie, melder = _check_create_rules(caller, data)
    fingerprint = request_fingerprint(data)
    if idempotency_key is not None:
        replay = await _replay_or_conflict(session, key_ring, caller, idempotency_key, fingerprint)
        if replay is not None:
            return replay
    now = utcnow()
    jaar = now.astimezone(AMSTERDAM).year
    nummer = await repository.next_kenmerk_number(session, jaar)
    melding_id = uuid.uuid4()
    prioriteit = Prioriteit.spoed if data.acuut_gevaar else Prioriteit.normaal
    melding = Melding(
        id=melding_id,
        kenmerk=f"MLD-{jaar}-{nummer:06d}",
        gedragstype=data.gedragstype,
        vormen=[vorm.value for vorm in data.vormen],
        omschrijving_versleuteld=key_ring.encrypt(
            data.omschrijving, aad=OMSCHRIJVING_AAD(melding_id)
        ),
        datum_voorval=data.datum_voorval,
        maand_voorval=maand_van(data.datum_voorval),
        functie=data.functie,
        organisatie=organisatie,
        vertrouwelijk=data.vertrouwelijk,
        acuut_gevaar=data.acuut_gevaar,
        status=Status.ontvangen,
        prioriteit=prioriteit,
        melder=melder,
        aangemaakt_door=caller.sub,
        # Filed by the national team (or for it): the national team keeps reach.
        owb_bereik=organisatie == NATIONAL_TEAM or caller.org == NATIONAL_TEAM,
        advies=advies_voor(data.gedragstype, data.vormen, data.acuut_gevaar),
        aangemaakt_op=now,
        gewijzigd_op=now,
        reactie_uiterlijk=reactie_uiterlijk(now, prioriteit, termijnen),
    )
    repository.add(
        session, melding, *(MeldingVorm(melding_id=melding_id, vorm=v) for v in melding.vormen)
    )
    statistiek.nieuwe_melding(melding)  # record key; counted in the rollups at the flush
    events.melding_aangemaakt(session, melding)
    view = to_view(melding, key_ring, caller)
    if idempotency_key is not None:
        verzoek_id = uuid.uuid4()
        repository.add(
            session,
            IdempotentVerzoek(
                id=verzoek_id,
                subject=caller.sub,
                sleutel=idempotency_key,
                verzoek_hash=fingerprint,
                melding_id=melding_id,
                antwoord_versleuteld=key_ring.encrypt(
                    json.dumps(view.model_dump(mode="json", exclude_unset=True)),
                    aad=IDEMPOTENCY_AAD(verzoek_id),
                ),
                verloopt_op=now + timedelta(hours=idempotency_hours),
            ),
        )
    await session.flush()
    return CreateOutcome(melding_id=melding_id, melding=view, replayed=False)


# ---- read -----------------------------------------------------------------------------------


async def list_meldingen(
    session: AsyncSession,
    *,
    caller: Principal,
    filters: LijstFilter,
    offset: int,
    limit: int,
) -> tuple[int, Sequence[Melding]]:
    bereik = bereik_van(caller)
    if filters.termijn_verstreken is not None:
        # The deadline is a handler's matter: the melder never sees it, so neither may they
        # count by it; like `behandelaar`, over the meldingen the caller may handle.
        if not caller.has_role(Rol.behandelaar):
            raise InvalidInput.field(
                "termijnVerstreken",
                "not_allowed",
                "Alleen behandelaars filteren op termijnVerstreken.",
            )
        bereik = Bereik(organisatie=bereik.organisatie, landelijk=bereik.landelijk)
        filters = replace(filters, niet_van_melder=caller.sub)
    if filters.behandelaar is not None:
        # Who handles a melding is hidden from its melder, so the filter is a handler's tool
        # over the meldingen they may handle: never the caller's own (a 0 or 1 would tell).
        if not caller.has_role(Rol.behandelaar):
            raise InvalidInput.field(
                "behandelaar", "not_allowed", "Alleen behandelaars filteren op behandelaar."
            )
        bereik = Bereik(organisatie=bereik.organisatie, landelijk=bereik.landelijk)
        filters = replace(filters, niet_van_melder=caller.sub)
    if bereik.leeg:
        return 0, []
    return await repository.list_meldingen(
        session, bereik=bereik, filters=filters, offset=offset, limit=limit
    )


async def melding_in_reach(
    session: AsyncSession, caller: Principal, melding_id: uuid.UUID, *, for_update: bool = False
) -> Melding:
    """The melding, or 404 when it does not exist or lies outside the caller's reach."""
    if for_update:
        melding = await repository.lock_melding(session, melding_id)
    else:
        melding = await repository.get_melding(session, melding_id)
    if melding is None or not in_bereik(caller, melding):
        raise NotFound("Melding niet gevonden.")
    return melding


# ---- change ---------------------------------------------------------------------------------


def _touch(melding: Melding) -> None:
    melding.gewijzigd_op = utcnow()
    melding.versie += 1


def _pak_op(melding: Melding) -> None:
    """The first pickup counts; a later move or reopening never restarts the clock."""
    if melding.opgepakt_op is None:
        melding.opgepakt_op = utcnow()


def change_prioriteit(
    session: AsyncSession,
    melding: Melding,
    caller: Principal,
    prioriteit: Prioriteit,
    termijnen: Mapping[str, Termijn],
    *,
    if_match: str | None = None,
) -> None:
    """403 unless the caller handles it, then 412 unless `If-Match` (a list) names its version."""
    require_handler(caller, melding)
    require_if_match(
        if_match, etag(melding), "De melding is intussen gewijzigd; haal haar opnieuw op."
    )
    statistiek.voor_wijziging(melding)  # the rollups move it to its new cells at the flush
    vorige = melding.prioriteit
    melding.prioriteit = prioriteit
    # From the original filing time, not from now: a raised priority can be overdue at once.
    melding.reactie_uiterlijk = reactie_uiterlijk(melding.aangemaakt_op, prioriteit, termijnen)
    _touch(melding)
    events.melding_prioriteit_gewijzigd(session, melding, vorige_prioriteit=vorige)
    registreer(session, melding, caller, Actie.gewijzigd)


def assign(session: AsyncSession, melding: Melding, caller: Principal, behandelaar: str) -> None:
    require_handler(caller, melding)
    melding.behandelaar = behandelaar
    _pak_op(melding)
    _touch(melding)
    events.melding_toegewezen(session, melding)
    registreer(session, melding, caller, Actie.toegewezen)


def _validate_referral(data: StatuswijzigingCreate) -> None:
    if data.status is Status.doorverwezen and data.doorverwezen_naar is None:
        raise InvalidInput.field(
            "doorverwezenNaar", "required", "Doorverwijzen vraagt om doorverwezenNaar."
        )
    if data.status is not Status.doorverwezen and data.doorverwezen_naar is not None:
        raise InvalidInput.field(
            "doorverwezenNaar", "not_allowed", "Alleen bij status doorverwezen."
        )


def change_status(
    session: AsyncSession,
    melding: Melding,
    *,
    caller: Principal,
    data: StatuswijzigingCreate,
    key_ring: KeyRing,
) -> Statuswijziging:
    _validate_referral(data)
    current = Status(melding.status)
    # Who may ask comes first (403), then whether the move exists (409).
    if MELDING_STATES.may_request({Rol.melder}, data.status):
        if not als_melder(caller, melding):
            raise Forbidden("Alleen de melder trekt een melding in.")
        rol = Rol.melder
    else:
        require_handler(caller, melding)
        rol = Rol.behandelaar
    MELDING_STATES.ensure_move(current, data.status)
    if rol is Rol.behandelaar and current is Status.ontvangen:
        _pak_op(melding)
    now = utcnow()
    statistiek.voor_wijziging(melding)  # the rollups move it to its new cells at the flush
    melding.status = data.status
    if data.status is Status.doorverwezen:
        melding.doorverwezen_naar = data.doorverwezen_naar
        if data.doorverwezen_naar is Verwijzing.OWB:
            melding.owb_bereik = True
    melding.afgesloten_op = now if data.status in CLOSED else None
    _touch(melding)
    wijziging_id = uuid.uuid4()
    wijziging = Statuswijziging(
        id=wijziging_id,
        melding_id=melding.id,
        van=current,
        naar=data.status,
        toelichting_versleuteld=(
            key_ring.encrypt(data.toelichting, aad=TOELICHTING_AAD(wijziging_id))
            if data.toelichting
            else None
        ),
        doorverwezen_naar=data.doorverwezen_naar,
        door=caller.sub,
        rol=rol,
        tijdstip=now,
    )
    repository.add(session, wijziging)
    events.melding_status_gewijzigd(session, melding, vorige_status=current)
    registreer(session, melding, caller, Actie.status_gewijzigd)
    if data.status is Status.afgehandeld and data.nazorg_plannen:
        plan_na_afhandeling(session, melding, door=caller.sub, key_ring=key_ring)
    return wijziging
