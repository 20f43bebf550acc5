"""HTTP endpoints of aftercare (nazorg)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from services.common.deps import KeyRingDep, SessionDep
from services.common.links import absolute_url
from services.common.pagination import Page, PageParams, build_page, page_params
from services.common.paths import api_base
from services.meldingen.melding.dependencies import (
    Behandelaar,
    MelderOfBehandelaar,
    MeldingInReach,
    MeldingToHandle,
)
from services.meldingen.nazorg import service
from services.meldingen.nazorg.schemas import (
    NazorgmomentCreate,
    NazorgmomentInLijst,
    NazorgmomentOut,
    NazorgmomentPatch,
)

BASE = api_base("meldingen")
router = APIRouter(prefix=BASE, tags=["nazorg"])
PageDep = Annotated[PageParams, Depends(page_params)]
CONFLICT: dict[int | str, dict[str, object]] = {
    409: {"description": "Een uitgevoerd nazorgmoment gaat niet terug naar open."}
}


@router.post(
    "/meldingen/{id}/nazorgmomenten",
    operation_id="nazorgmomentAanmaken",
    status_code=201,
    response_model=NazorgmomentOut,
    summary="Een nazorgmoment plannen (behandelaar)",
    description=(
        "Behandelaars in bereik plannen nazorg. Bij het afhandelen van een melding worden "
        "momenten op +1 en +4 weken vanzelf gepland, tenzij `nazorgPlannen: false`."
    ),
)
async def create_moment(
    request: Request,
    response: Response,
    data: NazorgmomentCreate,
    melding: MeldingToHandle,
    caller: Behandelaar,
    session: SessionDep,
    key_ring: KeyRingDep,
) -> NazorgmomentOut:
    moment = service.create(session, melding, caller=caller, data=data, key_ring=key_ring)
    response.headers["Location"] = absolute_url(
        request, f"{BASE}/meldingen/{melding.id}/nazorgmomenten"
    )
    return service.to_view(moment, key_ring)


@router.get(
    "/meldingen/{id}/nazorgmomenten",
    operation_id="nazorgmomentenLijst",
    response_model=Page[NazorgmomentOut],
    summary="Nazorgmomenten van een melding",
    description="Voor de melder en de behandelaars in bereik; later geplande momenten eerst.",
)
async def list_moments(
    request: Request,
    melding: MeldingInReach,
    caller: MelderOfBehandelaar,
    session: SessionDep,
    key_ring: KeyRingDep,
    paging: PageDep,
) -> Page[NazorgmomentOut]:
    count, rows = await service.list_for_melding(
        session, melding, caller=caller, offset=paging.offset, limit=paging.page_size
    )
    results = [service.to_view(row, key_ring) for row in rows]
    return build_page(request, paging, count, results)


@router.patch(
    "/meldingen/{id}/nazorgmomenten/{nid}",
    operation_id="nazorgmomentWijzigen",
    response_model=NazorgmomentOut,
    responses=CONFLICT,
    summary="Een nazorgmoment als uitgevoerd vastleggen (behandelaar)",
    description="`uitgevoerd` en de `uitkomst` (versleuteld opgeslagen).",
)
async def update_moment(
    nid: str,
    data: NazorgmomentPatch,
    melding: MeldingToHandle,
    caller: Behandelaar,
    session: SessionDep,
    key_ring: KeyRingDep,
) -> NazorgmomentOut:
    moment = await service.update(
        session, melding, nid, caller=caller, data=data, key_ring=key_ring
    )
    return service.to_view(moment, key_ring)


@router.get(
    "/nazorgmomenten",
    operation_id="nazorgmomentenInBereikLijst",
    response_model=Page[NazorgmomentInLijst],
    summary="Nazorg in uw bereik (behandelaar)",
    description=(
        "Nazorgmomenten van de meldingen in het bereik van de behandelaar (nooit van de eigen "
        "meldingen). `verlopen=true`: gepland in het verleden en niet uitgevoerd; "
        "`verlopen=false`: de andere. Niet per melding gelogd (een lijstweergave), en daarom "
        "zonder `omschrijving` en `uitkomst` (sinds 1.1.0): die staan in "
        "`GET /meldingen/{id}/nazorgmomenten`, dat in het toegangslog komt."
    ),
)
async def list_in_reach(
    request: Request,
    caller: Behandelaar,
    session: SessionDep,
    paging: PageDep,
    verlopen: Annotated[bool | None, Query(description="Alleen (niet) verlopen momenten.")] = None,
) -> Page[NazorgmomentInLijst]:
    count, rows = await service.list_in_reach(
        session, caller=caller, verlopen=verlopen, offset=paging.offset, limit=paging.page_size
    )
    results = [service.to_list_view(row) for row in rows]
    return build_page(request, paging, count, results)
