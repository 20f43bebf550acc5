"""Catalogue endpoints: thin; the rules are in service.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from starlette.requests import Request

from services.beveiliging.dependencies import BASE_PATH, BeheerderDep, zet_location
from services.beveiliging.maatregel import service
from services.beveiliging.maatregel.catalogus import Categorie
from services.beveiliging.maatregel.schemas import MaatregelCreate, MaatregelOut, MaatregelPatch
from services.common.deps import CallerDep, SessionDep
from services.common.pagination import Page, PageParams, build_page, page_params

router = APIRouter(prefix=BASE_PATH, tags=["maatregelen"])


@router.get(
    "/maatregelen",
    operation_id="maatregelenLijst",
    summary="De catalogus van beveiligingsmaatregelen",
)
async def list_maatregelen(
    request: Request,
    session: SessionDep,
    _caller: CallerDep,
    paging: Annotated[PageParams, Depends(page_params)],
    categorie: Annotated[Categorie | None, Query()] = None,
    actief: Annotated[bool | None, Query(description="Alleen (niet) ingetrokken.")] = None,
) -> Page[MaatregelOut]:
    count, rows = await service.lijst(
        session=session,
        categorie=categorie,
        actief=actief,
        offset=paging.offset,
        limit=paging.page_size,
    )
    return build_page(
        request, paging, count, [MaatregelOut.model_validate(r, from_attributes=True) for r in rows]
    )


@router.get(
    "/maatregelen/{code}", operation_id="maatregelOphalen", summary="Eén maatregel uit de catalogus"
)
async def get_maatregel(session: SessionDep, _caller: CallerDep, code: str) -> MaatregelOut:
    maatregel = await service.haal(session=session, code=code)
    return MaatregelOut.model_validate(maatregel, from_attributes=True)


@router.post(
    "/maatregelen",
    operation_id="maatregelAanmaken",
    status_code=201,
    summary="Maatregel toevoegen (beheerder)",
    responses={409: {"description": "Er is al een maatregel met deze code."}},
)
async def create_maatregel(
    request: Request,
    response: Response,
    session: SessionDep,
    _beheerder: BeheerderDep,
    body: MaatregelCreate,
) -> MaatregelOut:
    maatregel = await service.voeg_toe(session=session, nieuw=body)
    zet_location(request, response, f"/maatregelen/{maatregel.code}")
    return MaatregelOut.model_validate(maatregel, from_attributes=True)


@router.patch(
    "/maatregelen/{code}",
    operation_id="maatregelWijzigen",
    summary="Maatregel wijzigen of intrekken (beheerder)",
)
async def update_maatregel(
    session: SessionDep, _beheerder: BeheerderDep, code: str, body: MaatregelPatch
) -> MaatregelOut:
    maatregel = await service.wijzig(session=session, code=code, wijziging=body)
    return MaatregelOut.model_validate(maatregel, from_attributes=True)
