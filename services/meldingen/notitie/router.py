"""HTTP endpoints for notes on a melding."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from services.common.deps import KeyRingDep, SessionDep
from services.common.links import absolute_url
from services.common.pagination import Page, PageParams, build_page, page_params
from services.common.paths import api_base
from services.meldingen.melding.dependencies import (
    MelderOfBehandelaar,
    MeldingInReach,
)
from services.meldingen.notitie import service
from services.meldingen.notitie.schemas import NotitieCreate, NotitieOut

BASE = api_base("meldingen")
router = APIRouter(prefix=BASE, tags=["notities"])
PageDep = Annotated[PageParams, Depends(page_params)]


@router.post(
    "/meldingen/{id}/notities",
    operation_id="notitieAanmaken",
    status_code=201,
    response_model=NotitieOut,
    summary="Een notitie toevoegen",
    description="Behandelaars kiezen `zichtbaarVoorMelder`; een notitie van de melder is "
    "altijd zichtbaar voor de melder.",
)
async def add_notitie(
    request: Request,
    response: Response,
    data: NotitieCreate,
    melding: MeldingInReach,
    caller: MelderOfBehandelaar,
    session: SessionDep,
    key_ring: KeyRingDep,
) -> NotitieOut:
    notitie = service.add_notitie(session, melding, caller=caller, data=data, key_ring=key_ring)
    response.headers["Location"] = absolute_url(request, f"{BASE}/meldingen/{melding.id}/notities")
    return service.to_view(notitie, key_ring)


@router.get(
    "/meldingen/{id}/notities",
    operation_id="notitiesLijst",
    response_model=Page[NotitieOut],
    summary="Notities bij een melding",
    description="De melder ziet alleen de voor hem zichtbare notities.",
)
async def list_notities(
    request: Request,
    melding: MeldingInReach,
    caller: MelderOfBehandelaar,
    session: SessionDep,
    key_ring: KeyRingDep,
    paging: PageDep,
) -> Page[NotitieOut]:
    count, rows = await service.list_notities(
        session, melding, caller=caller, offset=paging.offset, limit=paging.page_size
    )
    results = [service.to_view(row, key_ring) for row in rows]
    return build_page(request, paging, count, results)
