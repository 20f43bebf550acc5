"""HTTP endpoint of the access log of one melding."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from services.common.deps import SessionDep
from services.common.pagination import Page, PageParams, build_page, page_params
from services.common.paths import api_base
from services.meldingen.inzage import service
from services.meldingen.inzage.schemas import InzageOut
from services.meldingen.melding.dependencies import MeldingInReach

BASE = api_base("meldingen")
router = APIRouter(prefix=BASE, tags=["inzages"])
PageDep = Annotated[PageParams, Depends(page_params)]


@router.get(
    "/meldingen/{id}/inzages",
    operation_id="inzagesLijst",
    response_model=Page[InzageOut],
    summary="Wie heeft deze melding ingezien of gewijzigd",
    description=(
        "Het toegangslog van deze melding, voor de melder en de behandelaars in bereik, nieuwste "
        "eerst. Elke inzage van de melding (detail, notities, aangifte, nazorg) en elke wijziging "
        "door iemand anders dan de melder staat erin, met `rol` en `organisatie` van de lezer; "
        "nooit wie het persoonlijk was. Lijstweergaven en het lezen van dit log zelf worden niet "
        "per melding gelogd. Het log kan niet worden gewijzigd of verwijderd."
    ),
)
async def list_inzages(
    request: Request, melding: MeldingInReach, session: SessionDep, paging: PageDep
) -> Page[InzageOut]:
    count, rows = await service.list_inzages(
        session, melding, offset=paging.offset, limit=paging.page_size
    )
    results = [service.to_view(row) for row in rows]
    return build_page(request, paging, count, results)
