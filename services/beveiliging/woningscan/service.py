"""Home scan rules: tenancy, the state machine with its preconditions, encryption at rest.

Address and reason are encrypted with the common key ring; the row id and the
column are the associated data, so a ciphertext copied to another row or
column does not decrypt.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.beveiliging import events
from services.beveiliging.db import AAD
from services.beveiliging.errors import (
    GeenToegang,
    NietGevonden,
    VoorwaardeNietVervuld,
    ongeldig,
)
from services.beveiliging.maatregel import repository as catalogus
from services.beveiliging.organisatie import bepaal_organisatie
from services.beveiliging.reach import Actor, actoren, in_bereik, is_adviseur
from services.beveiliging.woningscan import repository, states
from services.beveiliging.woningscan.models import Woningscan, WoningscanStatuswijziging
from services.beveiliging.woningscan.schemas import (
    Adres,
    WoningscanCreate,
    WoningscanOut,
    WoningscanStatuswijzigingCreate,
    WoningscanSummary,
)
from services.beveiliging.woningscan.states import WONINGSCAN_MACHINE, WoningscanStatus
from services.common.crypto import KeyRing
from services.common.principal import Principal
from services.common.types import utcnow

_S = WoningscanStatus
ADRES_WIJZIGBAAR = frozenset({_S.aangevraagd, _S.ingepland})


ADRES_AAD = AAD.for_column("woningscan", "adres")
REDEN_AAD = AAD.for_column("woningscan", "reden")


def versleutel_adres(key_ring: KeyRing, scan_id: uuid.UUID, adres: Adres) -> str:
    return key_ring.encrypt(adres.model_dump_json(), aad=ADRES_AAD(scan_id))


def versleutel_reden(key_ring: KeyRing, scan_id: uuid.UUID, reden: str) -> str:
    return key_ring.encrypt(reden, aad=REDEN_AAD(scan_id))


def nieuwe_scan(
    *,
    key_ring: KeyRing,
    organisatie: str,
    aanvrager: str,
    betreft: str,
    reden: str,
    adres: Adres | None,
    melding_id: uuid.UUID | None,
) -> tuple[Woningscan, WoningscanStatuswijziging]:
    """A scan in `aangevraagd` with its first history row (also used by the package)."""
    scan_id = uuid.uuid4()
    nu = utcnow()
    scan = Woningscan(
        id=scan_id,
        organisatie=organisatie,
        aanvrager=aanvrager,
        betreft=betreft,
        adres_versleuteld=versleutel_adres(key_ring, scan_id, adres) if adres else None,
        reden_versleuteld=versleutel_reden(key_ring, scan_id, reden),
        status=WONINGSCAN_MACHINE.initial,
        melding_id=melding_id,
        aangemaakt_op=nu,
        gewijzigd_op=nu,
    )
    historie = WoningscanStatuswijziging(
        woningscan_id=scan_id, van=None, naar=scan.status, door=aanvrager, tijdstip=nu
    )
    return scan, historie


async def vraag_aan(
    *, session: AsyncSession, caller: Principal, key_ring: KeyRing, nieuw: WoningscanCreate
) -> Woningscan:
    betreft = nieuw.betreft or caller.sub
    if betreft != caller.sub and not is_adviseur(caller):
        raise GeenToegang("Alleen een beveiligingsadviseur vraagt een scan aan voor een ander.")
    scan, historie = nieuwe_scan(
        key_ring=key_ring,
        organisatie=bepaal_organisatie(caller, nieuw.organisatie),
        aanvrager=caller.sub,
        betreft=betreft,
        reden=nieuw.reden,
        adres=nieuw.adres,
        melding_id=nieuw.melding_id,
    )
    repository.add(session, scan)
    await session.flush()
    repository.add_statuswijziging(session, historie)
    events.woningscan_aangevraagd(session, scan)
    await session.flush()
    return scan


def ensure_may_ask_for(caller: Principal, target: object) -> None:
    """403 when a non-adviser names a target only advisers may ask for, before reach.

    `target` is the raw `status` of the body, not yet validated: only a string that names a
    state is judged here; anything else is left to the body validation (400). Whether the
    caller is an adviser *in reach* is decided later, in `wijzig_status`.
    """
    if is_adviseur(caller) or not isinstance(target, str):
        return
    if target not in {s.value for s in WoningscanStatus}:
        return
    if not WONINGSCAN_MACHINE.may_request([Actor.aanvrager], WoningscanStatus(target)):
        raise GeenToegang(f"Alleen een beveiligingsadviseur zet een woningscan naar {target}.")


async def in_bereik_of_404(
    *, session: AsyncSession, caller: Principal, scan_id: uuid.UUID
) -> Woningscan:
    scan = await repository.get(session, scan_id)
    if scan is None or not in_bereik(caller, scan.organisatie, (scan.aanvrager, scan.betreft)):
        raise NietGevonden("De woningscan")
    return scan


async def lijst(
    *,
    session: AsyncSession,
    caller: Principal,
    status: WoningscanStatus | None,
    betreft: str | None,
    offset: int,
    limit: int,
) -> tuple[int, list[WoningscanSummary]]:
    count, rows = await repository.lijst_in_bereik(
        session, caller, status=status, betreft=betreft, offset=offset, limit=limit
    )
    return count, [samenvatting(scan) for scan in rows]


async def wijzig_adres(
    *, session: AsyncSession, key_ring: KeyRing, scan: Woningscan, adres: Adres
) -> Woningscan:
    if scan.status not in ADRES_WIJZIGBAAR:
        raise VoorwaardeNietVervuld("Het adres kan na de uitvoering niet meer wijzigen.")
    scan.adres_versleuteld = versleutel_adres(key_ring, scan.id, adres)
    scan.gewijzigd_op = utcnow()
    await session.flush()
    return scan


async def _valideer_velden(
    session: AsyncSession, wijziging: WoningscanStatuswijzigingCreate
) -> None:
    """Fields the target needs, and fields that do not belong to it: all problems at once."""
    naar = wijziging.status
    problemen: list[tuple[str, str, str]] = []
    for veld, doel in (("gepland", _S.ingepland), ("adviseur", _S.ingepland)):
        aanwezig = getattr(wijziging, veld) is not None
        if naar is doel and not aanwezig:
            problemen.append((veld, "required", f"Nodig voor status {doel}."))
        elif naar is not doel and aanwezig:
            problemen.append((veld, "not_allowed", f"Hoort alleen bij status {doel}."))
    if naar is _S.advies_opgeleverd:
        if not wijziging.advies:
            problemen.append(("advies", "required", "Noem de geadviseerde maatregelen."))
        else:
            actief = await catalogus.actieve_codes(session, wijziging.advies)
            problemen += [
                (f"advies.{i}", "enum", f"Onbekende of ingetrokken maatregel {code!r}.")
                for i, code in enumerate(wijziging.advies)
                if code not in actief
            ]
    elif wijziging.advies is not None:
        problemen.append(("advies", "not_allowed", "Hoort alleen bij advies_opgeleverd."))
    if problemen:
        raise ongeldig(*problemen)


async def wijzig_status(
    *,
    session: AsyncSession,
    caller: Principal,
    scan: Woningscan,
    wijziging: WoningscanStatuswijzigingCreate,
) -> Woningscan:
    """Role (403) → fields (400) → state (409), the contract's order."""
    naar = wijziging.status
    capaciteiten = actoren(caller, scan.organisatie, betreft=scan.betreft, aanvrager=scan.aanvrager)
    if not WONINGSCAN_MACHINE.may_request(capaciteiten, naar):
        raise GeenToegang(f"U mag een woningscan niet naar {naar} zetten.")
    await _valideer_velden(session, wijziging)
    van = WoningscanStatus(scan.status)
    states.ensure_move(van, naar)
    if naar is _S.ingepland and scan.adres_versleuteld is None:
        raise VoorwaardeNietVervuld("Inplannen kan pas als het adres bekend is.")
    if naar is _S.ingepland:
        scan.gepland, scan.adviseur = wijziging.gepland, wijziging.adviseur
    if naar is _S.advies_opgeleverd:
        scan.advies = list(dict.fromkeys(wijziging.advies or []))
    scan.status = naar
    scan.gewijzigd_op = utcnow()
    repository.add_statuswijziging(
        session,
        WoningscanStatuswijziging(
            woningscan_id=scan.id,
            van=van,
            naar=naar,
            door=caller.sub,
            toelichting=wijziging.toelichting,
            tijdstip=scan.gewijzigd_op,
        ),
    )
    events.woningscan_status_gewijzigd(session, scan, vorige_status=van)
    await session.flush()
    return scan


def samenvatting(scan: Woningscan) -> WoningscanSummary:
    return WoningscanSummary(
        id=scan.id,
        status=WoningscanStatus(scan.status),
        organisatie=scan.organisatie,
        aanvrager=scan.aanvrager,
        betreft=scan.betreft,
        adviseur=scan.adviseur,
        gepland=scan.gepland,
        advies=scan.advies,
        melding_id=scan.melding_id,
        adres_bekend=scan.adres_versleuteld is not None,
        aangemaakt_op=scan.aangemaakt_op,
        gewijzigd_op=scan.gewijzigd_op,
    )


def detail(key_ring: KeyRing, scan: Woningscan) -> WoningscanOut:
    """Only ever called for a caller in reach: the requester, the person, advisers in reach."""
    adres = None
    if scan.adres_versleuteld is not None:
        platte_tekst = key_ring.decrypt(scan.adres_versleuteld, aad=ADRES_AAD(scan.id))
        adres = Adres.model_validate(json.loads(platte_tekst))
    reden = key_ring.decrypt(scan.reden_versleuteld, aad=REDEN_AAD(scan.id))
    return WoningscanOut(**samenvatting(scan).model_dump(), adres=adres, reden=reden)
