"""Measure-per-person endpoints: thin; the rules are in service.py."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from starlette.requests import Request

from services.beveiliging.beveiligingsmaatregel import service
from services.beveiliging.beveiligingsmaatregel.dependencies import MaatregelInReach
from services.beveiliging.beveiligingsmaatregel.schemas import (
    BeveiligingsmaatregelCreate,
    BeveiligingsmaatregelOut,
    MaatregelStatuswijzigingCreate,
)
from services.beveiliging.beveiligingsmaatregel.states import (
    MAATREGEL_MACHINE,
    MaatregelStatus,
)
from services.beveiliging.dependencies import BASE_PATH, AdviseurDep, ScanRolDep, zet_location
from services.common.deps import SessionDep
from services.common.pagination import Page, PageParams, build_page, page_params
from services.common.schemas import SUBJECT_PATTERN
from services.common.types import ClientDate

router = APIRouter(prefix=BASE_PATH, tags=["beveiligingsmaatregelen"])


@router.post(
    "/beveiligingsmaatregelen",
    operation_id="beveiligingsmaatregelAanmaken",
    status_code=201,
    summary="Maatregel adviseren",
    description=(
        "Door een beveiligingsadviseur binnen bereik, nooit voor zichzelf: `betreft` gelijk "
        "aan de eigen subject is 403 (niemand behandelt zijn eigen zaak)."
    ),
)
async def create_beveiligingsmaatregel(
    request: Request,
    response: Response,
    session: SessionDep,
    caller: AdviseurDep,
    body: BeveiligingsmaatregelCreate,
) -> BeveiligingsmaatregelOut:
    maatregel = await service.maak(session=session, caller=caller, nieuw=body)
    zet_location(request, response, f"/beveiligingsmaatregelen/{maatregel.id}")
    return service.uit(maatregel)


@router.get(
    "/beveiligingsmaatregelen",
    operation_id="beveiligingsmaatregelenLijst",
    summary="Maatregelen binnen bereik",
    description=(
        "De betrokkene ziet de eigen maatregelen, adviseurs die binnen bereik. "
        "`verlooptVoor` toont open maatregelen met een einddatum vóór die dag, de vroegste eerst."
    ),
)
async def list_beveiligingsmaatregelen(
    request: Request,
    session: SessionDep,
    caller: ScanRolDep,
    paging: Annotated[PageParams, Depends(page_params)],
    status: Annotated[MaatregelStatus | None, Query()] = None,
    betreft: Annotated[str | None, Query(max_length=255, pattern=SUBJECT_PATTERN)] = None,
    woningscan_id: Annotated[uuid.UUID | None, Query(alias="woningscanId")] = None,
    verloopt_voor: Annotated[ClientDate | None, Query(alias="verlooptVoor")] = None,
) -> Page[BeveiligingsmaatregelOut]:
    count, results = await service.lijst(
        session=session,
        caller=caller,
        status=status,
        betreft=betreft,
        woningscan_id=woningscan_id,
        verloopt_voor=verloopt_voor,
        offset=paging.offset,
        limit=paging.page_size,
    )
    return build_page(request, paging, count, results)


@router.get(
    "/beveiligingsmaatregelen/{maatregel_id}",
    operation_id="beveiligingsmaatregelOphalen",
    summary="Eén maatregel",
)
async def get_beveiligingsmaatregel(maatregel: MaatregelInReach) -> BeveiligingsmaatregelOut:
    return service.uit(maatregel)


@router.post(
    "/beveiligingsmaatregelen/{maatregel_id}/statuswijzigingen",
    operation_id="beveiligingsmaatregelStatusWijzigen",
    status_code=201,
    responses={409: {"description": "Ongeldige statusovergang."}},
    summary="Status van een maatregel wijzigen (adviseur)",
    description=MAATREGEL_MACHINE.describe(),
)
async def change_status(
    session: SessionDep,
    caller: AdviseurDep,
    maatregel: MaatregelInReach,
    body: MaatregelStatuswijzigingCreate,
) -> BeveiligingsmaatregelOut:
    maatregel = await service.wijzig_status(
        session=session, caller=caller, maatregel=maatregel, wijziging=body
    )
    return service.uit(maatregel)
