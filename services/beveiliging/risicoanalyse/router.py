"""Risk-analysis endpoints: thin; scoring and rules are in scoring.py and service.py."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from starlette.requests import Request

from services.beveiliging.dependencies import BASE_PATH, parse_id, zet_location
from services.beveiliging.risicoanalyse import service
from services.beveiliging.risicoanalyse.schemas import (
    RisicoanalyseCreate,
    RisicoanalyseOut,
    RisicoanalyseSummary,
    VragenlijstOut,
)
from services.beveiliging.risicoanalyse.scoring import beschrijving
from services.beveiliging.risicoanalyse.vragenlijst import HUIDIGE_VERSIE, VRAGENLIJSTEN
from services.common.deps import CallerDep, KeyRingDep, SessionDep
from services.common.pagination import Page, PageParams, build_page, page_params

router = APIRouter(prefix=BASE_PATH, tags=["risicoanalyse"])
SCORING = beschrijving(VRAGENLIJSTEN[HUIDIGE_VERSIE])


@router.get(
    "/risicoanalyse/vragenlijst",
    operation_id="vragenlijstOphalen",
    summary="De huidige vragenlijst",
    description=SCORING,
)
async def get_vragenlijst(_caller: CallerDep) -> VragenlijstOut:
    return service.vragenlijst_uit()


@router.post(
    "/risicoanalyses",
    operation_id="risicoanalyseAanmaken",
    status_code=201,
    summary="Risicoanalyse uitvoeren",
    description=(
        "Iedereen die is ingelogd mag een zelfanalyse doen; adviseurs ook voor een ander "
        "(`betreft`). Elk ongeldig antwoord (onbekende vraag, ontbrekend, verkeerd type, "
        "buiten bereik) staat in `invalidParams`.\n\n" + SCORING
    ),
)
async def create_risicoanalyse(
    request: Request,
    response: Response,
    session: SessionDep,
    caller: CallerDep,
    key_ring: KeyRingDep,
    body: RisicoanalyseCreate,
) -> RisicoanalyseOut:
    analyse = await service.voer_uit(session=session, caller=caller, key_ring=key_ring, nieuw=body)
    zet_location(request, response, f"/risicoanalyses/{analyse.id}")
    return service.detail(key_ring, analyse)


@router.get(
    "/risicoanalyses",
    operation_id="risicoanalysesLijst",
    summary="Risicoanalyses binnen bereik (zonder antwoorden)",
)
async def list_risicoanalyses(
    request: Request,
    session: SessionDep,
    caller: CallerDep,
    paging: Annotated[PageParams, Depends(page_params)],
) -> Page[RisicoanalyseSummary]:
    count, results = await service.lijst(
        session=session, caller=caller, offset=paging.offset, limit=paging.page_size
    )
    return build_page(request, paging, count, results)


@router.get(
    "/risicoanalyses/{analyse_id}",
    operation_id="risicoanalyseOphalen",
    summary="Eén risicoanalyse, met antwoorden",
)
async def get_risicoanalyse(
    session: SessionDep, caller: CallerDep, key_ring: KeyRingDep, analyse_id: str
) -> RisicoanalyseOut:
    analyse = await service.in_bereik_of_404(
        session=session, caller=caller, analyse_id=parse_id(analyse_id, "De risicoanalyse")
    )
    return service.detail(key_ring, analyse)
