"""Home scan endpoints: role (403) and reach (404) as dependencies, before the body (400)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from starlette.requests import Request

from services.beveiliging.dependencies import BASE_PATH, ScanRolDep, zet_location
from services.beveiliging.woningscan import service
from services.beveiliging.woningscan.dependencies import WoningscanInReach, caller_for_target
from services.beveiliging.woningscan.schemas import (
    WoningscanCreate,
    WoningscanOut,
    WoningscanPatch,
    WoningscanStatuswijzigingCreate,
    WoningscanSummary,
)
from services.beveiliging.woningscan.states import WONINGSCAN_MACHINE, WoningscanStatus
from services.common.deps import KeyRingDep, SessionDep
from services.common.pagination import Page, PageParams, build_page, page_params
from services.common.principal import Principal
from services.common.schemas import SUBJECT_PATTERN

router = APIRouter(prefix=BASE_PATH, tags=["woningscans"])


@router.post(
    "/woningscans",
    operation_id="woningscanAanmaken",
    status_code=201,
    summary="Woningscan aanvragen",
)
async def create_woningscan(
    request: Request,
    response: Response,
    session: SessionDep,
    caller: ScanRolDep,
    key_ring: KeyRingDep,
    body: WoningscanCreate,
) -> WoningscanOut:
    scan = await service.vraag_aan(session=session, caller=caller, key_ring=key_ring, nieuw=body)
    zet_location(request, response, f"/woningscans/{scan.id}")
    return service.detail(key_ring, scan)


@router.get(
    "/woningscans",
    operation_id="woningscansLijst",
    summary="Woningscans binnen bereik",
    description="Lijsten tonen nooit het adres of de reden; die staan alleen in de detailweergave.",
)
async def list_woningscans(
    request: Request,
    session: SessionDep,
    caller: ScanRolDep,
    paging: Annotated[PageParams, Depends(page_params)],
    status: Annotated[WoningscanStatus | None, Query()] = None,
    betreft: Annotated[str | None, Query(max_length=255, pattern=SUBJECT_PATTERN)] = None,
) -> Page[WoningscanSummary]:
    count, results = await service.lijst(
        session=session,
        caller=caller,
        status=status,
        betreft=betreft,
        offset=paging.offset,
        limit=paging.page_size,
    )
    return build_page(request, paging, count, results)


@router.get(
    "/woningscans/{woningscan_id}",
    operation_id="woningscanOphalen",
    summary="Eén woningscan, met adres",
)
async def get_woningscan(scan: WoningscanInReach, key_ring: KeyRingDep) -> WoningscanOut:
    return service.detail(key_ring, scan)


@router.patch(
    "/woningscans/{woningscan_id}",
    operation_id="woningscanWijzigen",
    summary="Adres toevoegen of wijzigen",
    description="Zolang de scan `aangevraagd` of `ingepland` is; daarna 409.",
    responses={409: {"description": "De scan is al uitgevoerd."}},
)
async def update_woningscan(
    session: SessionDep, scan: WoningscanInReach, key_ring: KeyRingDep, body: WoningscanPatch
) -> WoningscanOut:
    scan = await service.wijzig_adres(
        session=session, key_ring=key_ring, scan=scan, adres=body.adres
    )
    return service.detail(key_ring, scan)


@router.post(
    "/woningscans/{woningscan_id}/statuswijzigingen",
    operation_id="woningscanStatusWijzigen",
    status_code=201,
    responses={409: {"description": "Ongeldige statusovergang of voorwaarde niet vervuld."}},
    summary="Status van een woningscan wijzigen",
    description=(
        "Annuleren mag de aanvrager of een adviseur binnen bereik; de andere overgangen alleen "
        "adviseurs. `ingepland` vraagt `gepland`, `adviseur` en een bekend adres; "
        "`advies_opgeleverd` vraagt `advies` met maatregelcodes.\n\n"
        + WONINGSCAN_MACHINE.describe()
    ),
)
async def change_status(
    session: SessionDep,
    caller: Annotated[Principal, Depends(caller_for_target)],
    scan: WoningscanInReach,
    key_ring: KeyRingDep,
    body: WoningscanStatuswijzigingCreate,
) -> WoningscanOut:
    scan = await service.wijzig_status(session=session, caller=caller, scan=scan, wijziging=body)
    return service.detail(key_ring, scan)
