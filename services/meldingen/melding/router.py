"""HTTP endpoints of meldingen: parse, call the service, return its view (the response_model)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from services.common.deps import KeyRingDep, SessionDep, StateDep
from services.common.etag import IF_MATCH_MAX_LENGTH
from services.common.links import absolute_url
from services.common.pagination import Page, PageParams, build_page, page_params
from services.common.paths import api_base
from services.common.schemas import SUBJECT_PATTERN
from services.common.types import ClientDatetime
from services.meldingen.config import MeldingenSettings
from services.meldingen.melding import service
from services.meldingen.melding.dependencies import (
    Behandelaar,
    MelderOfBehandelaar,
    MeldingInReach,
    MeldingToChange,
    MeldingToHandle,
)
from services.meldingen.melding.enums import Gedragstype, Prioriteit, Status
from services.meldingen.melding.schemas import (
    LijstFilter,
    MeldingCreate,
    MeldingInLijst,
    MeldingOut,
    MeldingPatch,
    StatuswijzigingCreate,
    ToewijzingCreate,
)

BASE = api_base("meldingen")
router = APIRouter(prefix=BASE, tags=["meldingen"])

PageDep = Annotated[PageParams, Depends(page_params)]
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "Ongeldige statusovergang of Idempotency-Key in gebruik."}
}
PRECONDITION: dict[int | str, dict[str, Any]] = {
    412: {"description": "If-Match komt niet overeen met de huidige versie."}
}


@router.post(
    "/meldingen",
    operation_id="meldingAanmaken",
    status_code=201,
    response_model=MeldingOut,
    response_model_exclude_unset=True,
    responses=CONFLICT,
    summary="Een melding doen",
    description=(
        "Maakt een melding met een kenmerk `MLD-<jaar>-<6 cijfers>`, zonder gaten per "
        "kalenderjaar (Europe/Amsterdam). `Idempotency-Key` (max. 64 tekens) geldt per subject, "
        "24 uur: een herhaling met dezelfde body geeft het oorspronkelijke antwoord met "
        "`Idempotent-Replayed: true`; een andere body of een nog lopend verzoek geeft 409."
    ),
)
async def create_melding(
    request: Request,
    response: Response,
    data: MeldingCreate,
    caller: MelderOfBehandelaar,
    session: SessionDep,
    state: StateDep,
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", min_length=1, max_length=64)
    ] = None,
) -> MeldingOut:
    settings = state.settings
    assert isinstance(settings, MeldingenSettings)
    outcome = await service.create_melding(
        session,
        key_ring=state.key_ring,
        caller=caller,
        data=data,
        idempotency_key=idempotency_key,
        idempotency_hours=settings.idempotency_hours,
        termijnen=settings.termijnen,
    )
    response.headers["Location"] = absolute_url(request, f"{BASE}/meldingen/{outcome.melding_id}")
    if outcome.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return outcome.melding


@router.get(
    "/meldingen",
    operation_id="meldingenLijst",
    response_model=Page[MeldingInLijst],
    response_model_exclude_unset=True,
    summary="Meldingen in uw bereik",
    description=(
        "Melder: de eigen meldingen, met hun omschrijving. Behandelaar: de meldingen in bereik, "
        "zonder `omschrijving` (sinds 1.1.0): die staat in de detailweergave, en elke "
        "lezing daarvan komt in het toegangslog. Een lijst wordt niet per melding gelogd.\n\n"
        "`behandelaar` is een filter voor behandelaars: wie een melding behandelt is voor de "
        "melder verborgen, dus een melder die erop filtert krijgt 400 (`invalidParams` noemt "
        "`behandelaar`), en een behandelaar vindt er nooit zijn eigen meldingen mee.\n\n"
        "`termijnVerstreken` is evenzo alleen voor behandelaars (een melder: 400): `true` geeft "
        "de meldingen waarvan `reactieUiterlijk` verstreek voordat ze werden opgepakt; samen met "
        "`status=ontvangen` de meldingen die nu nog op een behandelaar wachten."
    ),
)
async def list_meldingen(
    request: Request,
    caller: MelderOfBehandelaar,
    session: SessionDep,
    key_ring: KeyRingDep,
    paging: PageDep,
    status: Status | None = None,
    gedragstype: Gedragstype | None = None,
    prioriteit: Prioriteit | None = None,
    kenmerk: Annotated[str | None, Query(max_length=20, pattern=SUBJECT_PATTERN)] = None,
    behandelaar: Annotated[
        str | None,
        Query(
            max_length=255,
            pattern=SUBJECT_PATTERN,
            description="Alleen behandelaars: een subject, of `me` voor uzelf.",
        ),
    ] = None,
    # With a zone (RFC 3339): a time without one is 400, not a failed query.
    van: Annotated[
        ClientDatetime | None, Query(description="aangemaaktOp vanaf (inclusief), met zone.")
    ] = None,
    tot: Annotated[
        ClientDatetime | None, Query(description="aangemaaktOp tot (exclusief), met zone.")
    ] = None,
    sortering: Annotated[
        Literal["-aangemaaktOp", "aangemaaktOp", "prioriteit"],
        Query(description="`prioriteit`: spoed eerst, daarbinnen nieuwste eerst."),
    ] = "-aangemaaktOp",
    termijn_verstreken: Annotated[
        Literal["true", "false"] | None,
        Query(
            alias="termijnVerstreken",
            description="Alleen behandelaars: reactietermijn verstreken zonder oppakken.",
        ),
    ] = None,
) -> Page[MeldingInLijst]:
    filters = LijstFilter(
        status=status,
        gedragstype=gedragstype,
        prioriteit=prioriteit,
        kenmerk=kenmerk,
        behandelaar=caller.sub if behandelaar == "me" else behandelaar,
        van=van,
        tot=tot,
        sortering=sortering,
        termijn_verstreken=None if termijn_verstreken is None else termijn_verstreken == "true",
    )
    count, rows = await service.list_meldingen(
        session, caller=caller, filters=filters, offset=paging.offset, limit=paging.page_size
    )
    results = [service.to_list_item(melding, key_ring, caller) for melding in rows]
    return build_page(request, paging, count, results)


@router.get(
    "/meldingen/{id}",
    operation_id="meldingOphalen",
    response_model=MeldingOut,
    response_model_exclude_unset=True,
    summary="Eén melding, met ETag",
)
async def get_melding(
    response: Response,
    melding: MeldingInReach,
    caller: MelderOfBehandelaar,
    key_ring: KeyRingDep,
    session: SessionDep,
) -> MeldingOut:
    view = service.read_melding(session, melding, caller, key_ring)
    response.headers["ETag"] = service.etag(melding)
    return view


@router.patch(
    "/meldingen/{id}",
    operation_id="meldingWijzigen",
    response_model=MeldingOut,
    response_model_exclude_unset=True,
    responses=PRECONDITION,
    summary="Prioriteit wijzigen (behandelaar)",
    description=(
        "Alleen `prioriteit` verandert; andere velden geven 400. Honoreert `If-Match`, ook als "
        "lijst van ETags (412 als geen ervan de huidige versie is). "
        "`reactieUiterlijk` wordt opnieuw berekend vanaf `aangemaaktOp` (niet vanaf nu): wie "
        "een melding van 3 dagen oud op `spoed` zet, ziet haar termijn meteen verstreken."
    ),
)
async def patch_melding(
    response: Response,
    data: MeldingPatch,
    melding: MeldingToHandle,
    caller: Behandelaar,
    key_ring: KeyRingDep,
    session: SessionDep,
    state: StateDep,
    if_match: Annotated[
        str | None, Header(alias="If-Match", max_length=IF_MATCH_MAX_LENGTH)
    ] = None,
) -> MeldingOut:
    settings = state.settings
    assert isinstance(settings, MeldingenSettings)
    service.change_prioriteit(
        session, melding, caller, data.prioriteit, settings.termijnen, if_match=if_match
    )
    response.headers["ETag"] = service.etag(melding)
    return service.to_view(melding, key_ring, caller)


@router.post(
    "/meldingen/{id}/statuswijzigingen",
    operation_id="meldingStatusWijzigen",
    status_code=201,
    response_model=MeldingOut,
    response_model_exclude_unset=True,
    responses=CONFLICT,
    summary="Status wijzigen",
    description=(
        "Behandelaars: ontvangen → in_behandeling | doorverwezen | afgehandeld; in_behandeling → "
        "doorverwezen | afgehandeld; doorverwezen → in_behandeling | afgehandeld; afgehandeld → "
        "in_behandeling. De melder: elke open status → ingetrokken. Andere overgangen: 409. "
        "Antwoordt 201 met de melding in haar nieuwe status."
    ),
)
async def change_status(
    request: Request,
    response: Response,
    data: StatuswijzigingCreate,
    melding: MeldingToChange,
    caller: MelderOfBehandelaar,
    session: SessionDep,
    key_ring: KeyRingDep,
) -> MeldingOut:
    service.change_status(session, melding, caller=caller, data=data, key_ring=key_ring)
    response.headers["Location"] = absolute_url(request, f"{BASE}/meldingen/{melding.id}")
    response.headers["ETag"] = service.etag(melding)
    return service.to_view(melding, key_ring, caller)


@router.post(
    "/meldingen/{id}/toewijzing",
    operation_id="meldingToewijzen",
    response_model=MeldingOut,
    response_model_exclude_unset=True,
    summary="Een behandelaar toewijzen",
)
async def assign(
    response: Response,
    data: ToewijzingCreate,
    melding: MeldingToHandle,
    caller: Behandelaar,
    key_ring: KeyRingDep,
    session: SessionDep,
) -> MeldingOut:
    service.assign(session, melding, caller, data.behandelaar)
    response.headers["ETag"] = service.etag(melding)
    return service.to_view(melding, key_ring, caller)
