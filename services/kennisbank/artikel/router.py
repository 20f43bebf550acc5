"""HTTP endpoints of the articles: parse, call the service, shape the response."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.responses import JSONResponse

from services.common.deps import OptionalCallerDep, SessionDep
from services.common.etag import IF_MATCH_MAX_LENGTH
from services.common.links import absolute_url
from services.common.pagination import Page, PageParams, build_page, page_params
from services.kennisbank.artikel import service
from services.kennisbank.artikel.dependencies import ArtikelInReach, ArtikelToEdit, Redacteur
from services.kennisbank.artikel.enums import ArtikelType, Doelgroep, Status, Thema
from services.kennisbank.artikel.schemas import (
    ArtikelCreate,
    ArtikelOut,
    ArtikelPatch,
    ArtikelSummary,
    RevisieOut,
    StatuswijzigingCreate,
)
from services.kennisbank.dependencies import ZoekdienstDep

BASE = "/api/kennisbank/v1"
router = APIRouter(prefix=BASE, tags=["artikelen"])

PageDep = Annotated[PageParams, Depends(page_params)]
CONFLICT: dict[int | str, dict[str, Any]] = {409: {"description": "Ongeldige statusovergang."}}
PRECONDITION: dict[int | str, dict[str, Any]] = {
    412: {"description": "If-Match komt niet overeen met de huidige versie."}
}


def _json(model: ArtikelOut, status_code: int = 200, **headers: str) -> JSONResponse:
    return JSONResponse(model.model_dump(mode="json"), status_code=status_code, headers=headers)


@router.get(
    "/artikelen",
    operation_id="artikelenLijst",
    response_model=Page[ArtikelSummary],
    summary="Artikelen (publiek; redacteuren zien ook concepten en archief)",
    description=(
        "Zonder token: alleen gepubliceerde artikelen. Redacteuren zien elke status en kunnen "
        "filteren op `status`; voor anderen levert een andere status dan `gepubliceerd` een "
        "lege lijst. Nieuwste eerst."
    ),
)
async def lijst_artikelen(
    request: Request,
    caller: OptionalCallerDep,
    session: SessionDep,
    paging: PageDep,
    thema: Thema | None = None,
    doelgroep: Doelgroep | None = None,
    type: ArtikelType | None = None,
    status: Status | None = None,
) -> JSONResponse:
    filters = service.lijstfilter(
        caller, status=status, thema=thema, doelgroep=doelgroep, type=type
    )
    aantal, rijen = await service.lijst(
        session, filters, offset=paging.offset, limit=paging.page_size
    )
    resultaten = [ArtikelSummary.model_validate(rij) for rij in rijen]
    return JSONResponse(build_page(request, paging, aantal, resultaten).model_dump(mode="json"))


@router.post(
    "/artikelen",
    operation_id="artikelAanmaken",
    status_code=201,
    response_model=ArtikelOut,
    summary="Een artikel schrijven (redacteur)",
    description="Het artikel begint als `concept`. De slug komt uit de titel en blijft.",
)
async def maak_artikel(
    request: Request,
    data: ArtikelCreate,
    caller: Redacteur,
    session: SessionDep,
    zoekdienst: ZoekdienstDep,
) -> JSONResponse:
    artikel = await service.maak(session, zoekdienst, door=caller.sub, data=data)
    body = ArtikelOut.model_validate(await service.weergave(session, artikel))
    location = absolute_url(request, f"{BASE}/artikelen/{artikel.slug}")
    return _json(body, 201, Location=location, ETag=service.etag(artikel))


@router.get(
    "/artikelen/{slug}",
    operation_id="artikelOphalen",
    response_model=ArtikelOut,
    summary="Eén artikel, met ETag",
)
async def lees_artikel(artikel: ArtikelInReach, session: SessionDep) -> JSONResponse:
    body = ArtikelOut.model_validate(await service.weergave(session, artikel))
    return _json(body, ETag=service.etag(artikel))


@router.patch(
    "/artikelen/{slug}",
    operation_id="artikelWijzigen",
    response_model=ArtikelOut,
    responses=PRECONDITION,
    summary="Een artikel wijzigen (redacteur)",
    description=(
        "Honoreert `If-Match` (412 bij een verouderde versie). Elke wijziging is een revisie."
    ),
)
async def wijzig_artikel(
    data: ArtikelPatch,
    artikel: ArtikelToEdit,
    caller: Redacteur,
    session: SessionDep,
    zoekdienst: ZoekdienstDep,
    if_match: Annotated[
        str | None, Header(alias="If-Match", max_length=IF_MATCH_MAX_LENGTH)
    ] = None,
) -> JSONResponse:
    await service.wijzig(
        session, zoekdienst, artikel, door=caller.sub, data=data, if_match=if_match
    )
    body = ArtikelOut.model_validate(await service.weergave(session, artikel))
    return _json(body, ETag=service.etag(artikel))


@router.post(
    "/artikelen/{slug}/statuswijzigingen",
    operation_id="artikelStatusWijzigen",
    status_code=201,
    response_model=ArtikelOut,
    responses=CONFLICT,
    summary="Publiceren, archiveren of terug naar concept (redacteur)",
    description=(
        "concept → gepubliceerd → gearchiveerd, en vanuit beide terug naar concept. Andere "
        "overgangen: 409. Antwoordt 201 met het artikel in zijn nieuwe status."
    ),
)
async def wijzig_status(
    request: Request,
    data: StatuswijzigingCreate,
    artikel: ArtikelToEdit,
    caller: Redacteur,
    session: SessionDep,
    zoekdienst: ZoekdienstDep,
) -> JSONResponse:
    await service.wijzig_status(session, zoekdienst, artikel, door=caller.sub, naar=data.status)
    body = ArtikelOut.model_validate(await service.weergave(session, artikel))
    location = absolute_url(request, f"{BASE}/artikelen/{artikel.slug}")
    return _json(body, 201, Location=location, ETag=service.etag(artikel))


@router.get(
    "/artikelen/{slug}/revisies",
    operation_id="revisiesLijst",
    response_model=Page[RevisieOut],
    summary="De revisies van een artikel (redacteur), nieuwste eerst",
)
async def lijst_revisies(
    request: Request,
    artikel: ArtikelToEdit,
    session: SessionDep,
    paging: PageDep,
) -> JSONResponse:
    aantal, rijen = await service.revisies(
        session, artikel, offset=paging.offset, limit=paging.page_size
    )
    resultaten = [RevisieOut.model_validate(rij, from_attributes=True) for rij in rijen]
    return JSONResponse(build_page(request, paging, aantal, resultaten).model_dump(mode="json"))
