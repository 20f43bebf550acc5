"""HTTP endpoints of the delivery log and replay: parse, call the service, shape."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from services.common.deps import SessionDep
from services.common.pagination import Page, PageParams, build_page, page_params
from services.common.paths import api_base
from services.notificaties.aflevering import service
from services.notificaties.aflevering.models import Poging
from services.notificaties.aflevering.schemas import AfleveringOut, PogingOut
from services.notificaties.deps import EigenAbonnement, wek_bezorger

BASE = api_base("notificaties")
router = APIRouter(prefix=BASE, tags=["afleveringen"])

PageDep = Annotated[PageParams, Depends(page_params)]
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "De aflevering staat al gepland, of het abonnement staat uit."}
}


def _out(poging: Poging) -> PogingOut:
    return PogingOut.model_validate(poging, from_attributes=True)


@router.get(
    "/abonnementen/{abonnementId}/afleveringen",
    response_model=Page[PogingOut],
    operation_id="afleveringenLijst",
    summary="Het afleverlog: elke poging, nieuwste eerst",
    description=(
        "Elke poging met `gebeurtenisId`, `type`, `tijdstip`, `poging`, `status` "
        "(`afgeleverd | opnieuw_gepland | mislukt`), `httpStatus` en `duurMs`. "
        "Gebeurtenissen buiten bereik komen hier nooit voor. Wat voor een abonnement "
        "klaarstaat gaat achter elkaar uit en wordt samen gelogd als die reeks klaar is: een "
        "poging staat hier dus kort nadat de ontvanger haar kreeg, niet op hetzelfde moment. "
        "Staat de stroomonderbreker van het abonnement open, dan verschijnt alleen de "
        "proefaflevering per interval; wat daarachter wacht, is nog niet geprobeerd en staat "
        "hier pas bij zijn eerste poging."
    ),
)
async def afleveringen_lijst(
    request: Request, abonnement: EigenAbonnement, session: SessionDep, paging: PageDep
) -> Page[PogingOut]:
    count, rows = await service.log(
        session, abonnement, offset=paging.offset, limit=paging.page_size
    )
    return build_page(request, paging, count, [_out(row) for row in rows])


@router.post(
    "/abonnementen/{abonnementId}/afleveringen/{afleveringId}/opnieuw",
    status_code=202,
    response_model=AfleveringOut,
    responses=CONFLICT,
    operation_id="afleveringOpnieuw",
    summary="Een aflevering opnieuw versturen",
    description=(
        "`afleveringId` is de `afleveringId` uit het log (het `id` van een poging mag ook). "
        "Kan voor een `mislukt`e aflevering en ook voor een afgeleverde die de ontvanger "
        "kwijt is; 409 zolang ze nog gepland staat of als het abonnement uit staat. "
        "Antwoordt 202: de eerste poging volgt direct, buiten dit verzoek; mislukt die, dan "
        "volgt het gewone schema van herhalingen opnieuw."
    ),
)
async def aflevering_opnieuw(
    request: Request,
    afleveringId: uuid.UUID,  # noqa: N803  (the path parameter's name on the wire)
    abonnement: EigenAbonnement,
    session: SessionDep,
) -> AfleveringOut:
    aflevering = await service.opnieuw(session, abonnement, afleveringId)
    await session.commit()  # before the deliverer looks for it
    wek_bezorger(request)
    return AfleveringOut.model_validate(aflevering, from_attributes=True)
