"""Endpoints of the package for a starting mayor."""

from __future__ import annotations

from fastapi import APIRouter, Response
from starlette.requests import Request

from services.beveiliging.dependencies import (
    BASE_PATH,
    AdviseurDep,
    ScanRolDep,
    parse_id,
    zet_location,
)
from services.beveiliging.veiligheidspakket import service
from services.beveiliging.veiligheidspakket.schemas import (
    VeiligheidspakketCreate,
    VeiligheidspakketOut,
)
from services.common.deps import KeyRingDep, SessionDep

router = APIRouter(prefix=BASE_PATH, tags=["veiligheidspakketten"])


@router.post(
    "/veiligheidspakketten",
    operation_id="veiligheidspakketAanmaken",
    status_code=201,
    responses={409: {"description": "Er is al een pakket voor deze burgemeester en gemeente."}},
    summary="Veiligheidspakket voor een startende burgemeester",
    description=(
        "In één transactie: een intakegesprek (te plannen), een aanvraag voor een woningscan "
        "en de standaardmaatregelen als `geadviseerd`. Door een beveiligingsadviseur van die "
        "gemeente of van OWB, nooit voor zichzelf (403: niemand behandelt zijn eigen zaak). "
        "Een tweede pakket voor dezelfde burgemeester en gemeente: 409."
    ),
)
async def create_veiligheidspakket(
    request: Request,
    response: Response,
    session: SessionDep,
    caller: AdviseurDep,
    key_ring: KeyRingDep,
    body: VeiligheidspakketCreate,
) -> VeiligheidspakketOut:
    pakket = await service.maak(session=session, caller=caller, key_ring=key_ring, nieuw=body)
    zet_location(request, response, f"/veiligheidspakketten/{pakket.id}")
    return pakket


@router.get(
    "/veiligheidspakketten/{pakket_id}",
    operation_id="veiligheidspakketOphalen",
    summary="Eén veiligheidspakket",
)
async def get_veiligheidspakket(
    session: SessionDep, caller: ScanRolDep, pakket_id: str
) -> VeiligheidspakketOut:
    return await service.in_bereik_of_404(
        session=session, caller=caller, pakket_id=parse_id(pakket_id, "Het veiligheidspakket")
    )
