"""HTTP endpoints of the police report and the criminal process."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from services.common.deps import KeyRingDep, SessionDep
from services.common.links import absolute_url
from services.common.paths import api_base
from services.meldingen.aangifte import service
from services.meldingen.aangifte.schemas import AangifteOut, AangiftePut
from services.meldingen.melding.dependencies import (
    MelderOfBehandelaar,
    MeldingInReach,
    MeldingToChange,
)

BASE = api_base("meldingen")
router = APIRouter(prefix=BASE, tags=["aangifte"])

HISTORY_NOTE = (
    "Elke wijziging blijft bewaard: `historie` in het antwoord geeft elke vastgelegde versie, "
    "nieuwste eerst, met de rol (nooit de persoon) en het tijdstip. Er is geen apart "
    "tijdlijn-endpoint; deze historie ís de tijdlijn van het strafproces."
)


@router.put(
    "/meldingen/{id}/aangifte",
    operation_id="aangifteVastleggen",
    response_model=AangifteOut,
    responses={201: {"description": "De eerste versie van de aangifte is vastgelegd."}},
    summary="De aangifte en het strafproces vastleggen",
    description=(
        "De melder en de behandelaars in bereik leggen de aangifte vast: `datumAangifte` "
        "(niet in de toekomst), `politieRegistratienummer` (versleuteld opgeslagen), `status` "
        "en `ondersteuning`. De body vervangt de huidige versie: 201 de eerste keer, daarna "
        "200. " + HISTORY_NOTE
    ),
)
async def put_aangifte(
    request: Request,
    response: Response,
    data: AangiftePut,
    melding: MeldingToChange,
    caller: MelderOfBehandelaar,
    session: SessionDep,
    key_ring: KeyRingDep,
) -> AangifteOut:
    outcome = await service.put_aangifte(
        session, melding, caller=caller, data=data, key_ring=key_ring
    )
    response.headers["Location"] = absolute_url(request, f"{BASE}/meldingen/{melding.id}/aangifte")
    if outcome.created:
        # Which of the two documented codes depends on the outcome, so it is set here;
        # a later version answers the route's default 200.
        response.status_code = 201
    return outcome.aangifte


@router.get(
    "/meldingen/{id}/aangifte",
    operation_id="aangifteOphalen",
    response_model=AangifteOut,
    summary="De aangifte, met haar historie",
    description="404 als er (nog) geen aangifte is vastgelegd. " + HISTORY_NOTE,
)
async def get_aangifte(
    melding: MeldingInReach,
    caller: MelderOfBehandelaar,
    session: SessionDep,
    key_ring: KeyRingDep,
) -> AangifteOut:
    return await service.read_aangifte(session, melding, caller=caller, key_ring=key_ring)
