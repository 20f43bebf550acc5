"""HTTP endpoints of the subscriptions: parse, call the service, shape the response."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from services.common.deps import CallerDep, KeyRingDep, SessionDep
from services.common.links import absolute_url
from services.common.pagination import Page, PageParams, build_page, page_params
from services.common.paths import api_base
from services.notificaties.abonnement import service
from services.notificaties.abonnement.models import Abonnement
from services.notificaties.abonnement.schemas import (
    AbonnementCreate,
    AbonnementMetSecret,
    AbonnementOut,
    AbonnementPatch,
)
from services.notificaties.deps import EigenAbonnement, SettingsDep

BASE = api_base("notificaties")
router = APIRouter(prefix=BASE, tags=["abonnementen"])

PageDep = Annotated[PageParams, Depends(page_params)]
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "Het maximum aantal abonnementen is bereikt."}
}


def out(abonnement: Abonnement) -> AbonnementOut:
    return AbonnementOut(
        id=abonnement.id,
        callback_url=abonnement.callback_url,
        types=list(abonnement.types),
        organisaties=list(abonnement.organisaties) if abonnement.organisaties else None,
        actief=abonnement.actief,
        uitgeschakeld_reden=abonnement.uitgeschakeld_reden,
        vorig_secret_geldig_tot=service.zichtbaar_vorig_tot(abonnement),
        aangemaakt_op=abonnement.aangemaakt_op,
        gewijzigd_op=abonnement.gewijzigd_op,
    )


def met_secret(abonnement: Abonnement, secret: str) -> AbonnementMetSecret:
    return AbonnementMetSecret(**out(abonnement).model_dump(), secret=secret)


@router.post(
    "/abonnementen",
    status_code=201,
    response_model=AbonnementMetSecret,
    responses=CONFLICT,
    operation_id="abonnementAanmaken",
    summary="Abonneren op gebeurtenissen",
    description=(
        "Iedere aangemelde gebruiker of partnersysteem (`client_credentials`) mag abonneren. "
        "Het abonnement is van de aanroeper (`sub`) en onthoudt diens rollen en organisatie: "
        "die bepalen bij elke aflevering wat binnen bereik is. Het antwoord bevat het "
        "`secret` waarmee elke aflevering wordt getekend (Standard Webhooks); het is daarna "
        "nooit meer op te vragen. Hoogstens 25 abonnementen per eigenaar (daarna 409)."
    ),
)
async def abonnement_aanmaken(
    request: Request,
    response: Response,
    data: AbonnementCreate,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    key_ring: KeyRingDep,
) -> AbonnementMetSecret:
    abonnement, secret = await service.maak(session, settings, key_ring, caller, data)
    response.headers["Location"] = absolute_url(request, f"{BASE}/abonnementen/{abonnement.id}")
    return met_secret(abonnement, secret)


@router.get(
    "/abonnementen",
    response_model=Page[AbonnementOut],
    operation_id="abonnementenLijst",
    summary="Eigen abonnementen, nieuwste eerst",
)
async def abonnementen_lijst(
    request: Request, caller: CallerDep, session: SessionDep, paging: PageDep
) -> Page[AbonnementOut]:
    count, rows = await service.lijst(session, caller, offset=paging.offset, limit=paging.page_size)
    return build_page(request, paging, count, [out(row) for row in rows])


@router.get(
    "/abonnementen/{abonnementId}",
    response_model=AbonnementOut,
    operation_id="abonnementLezen",
    summary="Eén eigen abonnement (zonder secret)",
)
async def abonnement_lezen(abonnement: EigenAbonnement) -> AbonnementOut:
    return out(abonnement)


@router.patch(
    "/abonnementen/{abonnementId}",
    response_model=AbonnementOut,
    operation_id="abonnementWijzigen",
    summary="Een eigen abonnement wijzigen",
    description=(
        "`callbackUrl`, `types`, `organisaties` (`null` haalt het filter weg) en `actief`. "
        "`actief: true` zet een na 410 uitgeschakeld abonnement weer aan. Elke wijziging neemt "
        "de rollen en organisatie uit het huidige token over."
    ),
)
async def abonnement_wijzigen(
    data: AbonnementPatch,
    abonnement: EigenAbonnement,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> AbonnementOut:
    return out(await service.wijzig(session, settings, caller, abonnement, data))


@router.delete(
    "/abonnementen/{abonnementId}",
    status_code=204,
    operation_id="abonnementVerwijderen",
    summary="Een eigen abonnement opzeggen",
    description="Openstaande afleveringen vervallen; het afleverlog gaat mee.",
)
async def abonnement_verwijderen(abonnement: EigenAbonnement, session: SessionDep) -> Response:
    await service.verwijder(session, abonnement)
    return Response(status_code=204)


@router.post(
    "/abonnementen/{abonnementId}/secret-vernieuwen",
    response_model=AbonnementMetSecret,
    operation_id="secretVernieuwen",
    summary="Een nieuw secret (het vorige tekent nog 24 uur mee)",
    description=(
        "Antwoordt 200 met het nieuwe `secret`, eenmalig. Tot `vorigSecretGeldigTot` draagt "
        "`webhook-signature` een `v1,`-handtekening per geldig secret, zodat de ontvanger "
        "zonder onderbreking kan overstappen. Een tweede vernieuwing binnen die tijd laat "
        "het oudste secret direct vervallen."
    ),
)
async def secret_vernieuwen(
    abonnement: EigenAbonnement,
    session: SessionDep,
    settings: SettingsDep,
    key_ring: KeyRingDep,
) -> AbonnementMetSecret:
    abonnement, secret = await service.vernieuw_secret(session, settings, key_ring, abonnement)
    return met_secret(abonnement, secret)
