"""HTTP endpoint of the reporter's own data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from services.common.deps import KeyRingDep, SessionDep, require_roles
from services.common.paths import api_base
from services.common.principal import Principal
from services.meldingen.mijngegevens import service
from services.meldingen.mijngegevens.schemas import MijnGegevensOut
from services.meldingen.reach import REPORTING_ROLES

BASE = api_base("meldingen")
router = APIRouter(prefix=BASE, tags=["mijn gegevens"])
# Everyone who can report has this right over what they reported (AVG, right of access).
Melder = Annotated[Principal, Depends(require_roles(*REPORTING_ROLES))]


@router.get(
    "/mijn-gegevens",
    operation_id="mijnGegevensOphalen",
    response_model=MijnGegevensOut,
    response_model_exclude_unset=True,
    summary="Alles wat over u als melder is vastgelegd (AVG)",
    description=(
        "Voor wie kan melden (melder, behandelaar): de meldingen waarvan u de melder bent, "
        "met de voor u zichtbare notities, de aangifte met haar historie, de "
        "nazorgmomenten, de voor u zichtbare bijlagen (gegevens en SHA-256, niet de inhoud) "
        "en het toegangslog (rol en organisatie, nooit de persoon). Niet "
        "gepagineerd: het is één export. Na anonimisering is een melding niet meer aan u "
        "gekoppeld en staat zij hier niet meer in."
    ),
)
async def mijn_gegevens(
    caller: Melder, session: SessionDep, key_ring: KeyRingDep
) -> MijnGegevensOut:
    return await service.mijn_gegevens(session, caller=caller, key_ring=key_ring)
