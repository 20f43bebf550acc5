"""HTTP endpoints of the articles: parse, call the service, return its model."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response

from services.common.deps import OptionalCallerDep, SessionDep
from services.common.etag import IF_MATCH_MAX_LENGTH
from services.common.links import absolute_url
from services.common.pagination import Page, PageParams, build_page, page_params
from services.common.paths import api_base
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

BASE = api_base("kennisbank")
router = APIRouter(prefix=BASE, tags=["artikelen"])

PageDep = Annotated[PageParams, Depends(page_params)]
IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=IF_MATCH_MAX_LENGTH)]
CONFLICT: dict[int | str, dict[str, Any]] = {409: {"description": "Ongeldige statusovergang."}}
PRECONDITION: dict[int | str, dict[str, Any]] = {
    412: {"description": "If-Match komt niet overeen met de huidige versie."}
}


def _headers(response: Response, artikel: ArtikelOut, request: Request | None = None) -> ArtikelOut:
    """ETag always; Location when the request made something (201)."""
    response.headers["ETag"] = service.etag(artikel)
    if request is not None:
        response.headers["Location"] = absolute_url(request, f"{BASE}/artikelen/{artikel.slug}")
    return artikel


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
async def list_artikelen(
    request: Request,
    caller: OptionalCallerDep,
    session: SessionDep,
    paging: PageDep,
    thema: Thema | None = None,
    doelgroep: Doelgroep | None = None,
    type: ArtikelType | None = None,
    status: Status | None = None,
) -> Page[ArtikelSummary]:
    count, results = await service.list_artikelen(
        session,
        caller,
        status=status,
        thema=thema,
        doelgroep=doelgroep,
        type=type,
        offset=paging.offset,
        limit=paging.page_size,
    )
    return build_page(request, paging, count, results)


@router.post(
    "/artikelen",
    operation_id="artikelAanmaken",
    status_code=201,
    response_model=ArtikelOut,
    summary="Een artikel schrijven (redacteur)",
    description="Het artikel begint als `concept`. De slug komt uit de titel en blijft.",
)
async def create_artikel(
    request: Request,
    response: Response,
    data: ArtikelCreate,
    caller: Redacteur,
    session: SessionDep,
    zoekdienst: ZoekdienstDep,
) -> ArtikelOut:
    artikel = await service.create_artikel(session, zoekdienst, door=caller.sub, data=data)
    return _headers(response, artikel, request)


@router.get(
    "/artikelen/{slug}",
    operation_id="artikelOphalen",
    response_model=ArtikelOut,
    summary="Eén artikel, met ETag",
)
async def get_artikel(
    response: Response, artikel: ArtikelInReach, session: SessionDep
) -> ArtikelOut:
    return _headers(response, await service.get_artikel(session, artikel))


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
async def update_artikel(
    response: Response,
    data: ArtikelPatch,
    artikel: ArtikelToEdit,
    caller: Redacteur,
    session: SessionDep,
    zoekdienst: ZoekdienstDep,
    if_match: IfMatch = None,
) -> ArtikelOut:
    updated = await service.update_artikel(
        session, zoekdienst, artikel, door=caller.sub, data=data, if_match=if_match
    )
    return _headers(response, updated)


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
async def change_status(
    request: Request,
    response: Response,
    data: StatuswijzigingCreate,
    artikel: ArtikelToEdit,
    caller: Redacteur,
    session: SessionDep,
    zoekdienst: ZoekdienstDep,
) -> ArtikelOut:
    changed = await service.change_status(
        session, zoekdienst, artikel, door=caller.sub, target=data.status
    )
    return _headers(response, changed, request)


@router.get(
    "/artikelen/{slug}/revisies",
    operation_id="revisiesLijst",
    response_model=Page[RevisieOut],
    summary="De revisies van een artikel (redacteur), nieuwste eerst",
)
async def list_revisies(
    request: Request,
    artikel: ArtikelToEdit,
    session: SessionDep,
    paging: PageDep,
) -> Page[RevisieOut]:
    count, results = await service.list_revisies(
        session, artikel, offset=paging.offset, limit=paging.page_size
    )
    return build_page(request, paging, count, results)
