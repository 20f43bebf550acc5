"""HTTP endpoint of the statistics for the information position of municipalities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse, Response

from services.common.deps import SessionDep, StateDep, require_roles
from services.common.principal import Principal
from services.meldingen.config import MeldingenSettings
from services.meldingen.melding.enums import ORGANISATIE_PATTERN, Rol
from services.meldingen.statistiek import service
from services.meldingen.statistiek.enums import Groepering
from services.meldingen.statistiek.schemas import StatistiekOut

BASE = "/api/meldingen/v1"
router = APIRouter(prefix=BASE, tags=["statistieken"])
MAAND = r"^\d{4}-(0[1-9]|1[0-2])$"

AnalistOfBehandelaar = Annotated[Principal, Depends(require_roles(Rol.analist, Rol.behandelaar))]
OrganisatieParam = Annotated[
    str | None,
    Query(
        pattern=ORGANISATIE_PATTERN,
        description="Alleen deze organisatie. Een behandelaar mag alleen de eigen opgeven (403).",
    ),
]


def organisatie_in_reach(
    caller: AnalistOfBehandelaar, organisatie: OrganisatieParam = None
) -> str | None:
    service.check_organisatie(caller, organisatie)
    return organisatie


@router.get(
    "/statistieken",
    operation_id="statistiekenOphalen",
    response_model=StatistiekOut,
    responses={
        200: {
            "content": {
                "text/csv": {
                    "schema": {"type": "string"},
                    "example": "gedragstype,maand,aantal,onderdrukt\r\n"
                    "verward_gedrag,2026-03,12,false\r\n",
                }
            }
        }
    },
    summary="Geaggregeerde cijfers (analist, behandelaar)",
    description=(
        "Aantallen meldingen per groep, nooit één melding en nooit totalen. Een groep met "
        "minder meldingen dan `drempel` (serverinstelling, minimaal 3) heeft `aantal: null` en "
        "`onderdrukt: true`; groepen zonder meldingen ontbreken. `maand` is de maand van "
        "`datumVoorval` in Europe/Amsterdam; `van` en `tot` zijn hele maanden (`2026-03`), "
        "beide inclusief. Groeperen op `organisatie` én `functie` samen wordt geweigerd (400): "
        "sommige functies worden door één persoon bekleed. Bij `vorm` telt een melding mee in "
        "elke vorm die zij noemt. Een analist ziet alle organisaties; een behandelaar alleen de "
        "meldingen in zijn bereik, en een andere organisatie vragen is 403. `Accept: text/csv` "
        "geeft dezelfde groepen als CSV (lege `aantal` bij onderdrukking)."
    ),
)
async def statistieken(
    caller: AnalistOfBehandelaar,
    organisatie: Annotated[str | None, Depends(organisatie_in_reach)],
    session: SessionDep,
    state: StateDep,
    groepeer_op: Annotated[
        list[Groepering],
        Query(alias="groepeerOp", min_length=1, max_length=7, description="Herhaalbaar."),
    ],
    van: Annotated[str | None, Query(pattern=MAAND, description="Eerste maand, inclusief.")] = None,
    tot: Annotated[
        str | None, Query(pattern=MAAND, description="Laatste maand, inclusief.")
    ] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    settings = state.settings
    assert isinstance(settings, MeldingenSettings)
    body = await service.statistieken(
        session,
        caller=caller,
        groepeer_op=groepeer_op,
        van=van,
        tot=tot,
        organisatie=organisatie,
        drempel=settings.statistiek_drempel,
    )
    if accept is not None and "text/csv" in accept:
        return Response(service.as_csv(body, groepeer_op), media_type="text/csv; charset=utf-8")
    return JSONResponse(body)
