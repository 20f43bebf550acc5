"""HTTP endpoint of the statistics for the information position of municipalities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from services.common.deps import SessionDep, StateDep, require_roles
from services.common.negotiation import accepting
from services.common.paths import api_base
from services.common.principal import Principal
from services.meldingen.config import MeldingenSettings
from services.meldingen.melding.enums import ORGANISATIE_PATTERN, Rol
from services.meldingen.statistiek import service
from services.meldingen.statistiek.enums import Groepering
from services.meldingen.statistiek.schemas import StatistiekOut

BASE = api_base("meldingen")
router = APIRouter(prefix=BASE, tags=["statistieken"])
MAAND = r"^\d{4}-(0[1-9]|1[0-2])$"

DESCRIPTION = (
    "Aantallen meldingen per groep, **afgerond met ruis; kleine aantallen onderdrukt**. "
    "Het zijn geen exacte tellingen: lees ze niet zo.\n\n"
    "**Ruis (celsleutelmethode, `methode: celsleutel`).** Elke melding krijgt bij het "
    "aanmaken een willekeurige recordsleutel (0-255) die nergens wordt getoond. De sleutel "
    "van een groep is de som van de recordsleutels van haar meldingen modulo 256. Een vaste, "
    "gepubliceerde ruistabel (`services/meldingen/statistiek/ruistabel.json`) geeft bij "
    "(aantal, celsleutel) een ruis van -2 tot en met +2 met gemiddelde 0; het getoonde "
    "`aantal` is het echte aantal plus die ruis. Een positief aantal wordt nooit 0 of "
    "negatief. Dezelfde meldingen krijgen altijd dezelfde ruis, via welke vraag of groepering "
    "ook: opnieuw vragen of twee vensters van elkaar aftrekken levert het verborgen aantal "
    "niet op. Per groep wijkt het getoonde aantal hooguit 2 af; opgeteld middelt de ruis uit, "
    "maar een som van groepen is daardoor geen exact totaal.\n\n"
    "**Kleine groepen ontbreken.** Een groep met minder meldingen dan `drempel` "
    "(serverinstelling, minimaal 3), of waarvan het getoonde aantal onder `drempel` zou "
    "uitkomen, staat niet in het antwoord, net als een groep zonder meldingen: een "
    "onderdrukte groep tonen zou verraden dat de waarde voorkomt. `onderdrukt` blijft voor "
    "v1-clients bestaan en is altijd `false`; `aantal` is nooit `null`. Totalen worden niet "
    "gegeven.\n\n"
    "**Groeperen.** `maand` is de maand van `datumVoorval` in Europe/Amsterdam; `van` en "
    "`tot` zijn hele maanden (`2026-03`), beide inclusief. Bij `vorm` telt een melding mee in "
    "elke vorm die zij noemt. Organisatie per functie wordt in elke vorm geweigerd (400, "
    "`combination_refused`): `groepeerOp=organisatie` met `groepeerOp=functie`, en voor een "
    "analist ook `organisatie=` met `groepeerOp=functie`, want sommige functies worden door "
    "één persoon bekleed.\n\n"
    "**Wie ziet wat.** Een analist ziet alle organisaties; een behandelaar alleen de "
    "meldingen in zijn bereik (dezelfde ruis), en een andere organisatie vragen is 403. "
    "`Accept: text/csv` geeft dezelfde groepen als CSV met een kolom `methode`.\n\n"
    "**Accept.** Zonder `Accept` (of met `*/*`, `application/*`) is het antwoord JSON; "
    "`text/csv` of `text/*` geeft CSV (`text/csv; charset=utf-8`). q-waarden tellen: het "
    "hoogste gewicht wint, bij gelijk gewicht het specifiekste bereik, en `q=0` sluit uit. "
    "Een `Accept` dat JSON noch CSV toelaat (bijvoorbeeld `application/xml`) is 406 "
    "problem+json dat beide noemt. Volgorde: 401 → 403 → 406 → 400 (velden)."
)
JSON = "application/json"
CSV = "text/csv; charset=utf-8"
VARY = {"Vary": "Accept"}  # the answer depends on it (RFC 9110 §12.5.5)

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
    response_model_exclude_unset=True,
    responses={
        200: {
            "content": {
                "text/csv": {
                    "schema": {"type": "string"},
                    "example": "gedragstype,maand,aantal,onderdrukt,methode\r\n"
                    "verward_gedrag,2026-03,12,false,celsleutel\r\n",
                }
            }
        },
        406: {
            "description": (
                "Het `Accept`-veld laat `application/json` noch `text/csv` toe; de problem "
                "details noemen beide."
            )
        },
    },
    summary="Geaggregeerde cijfers (analist, behandelaar)",
    description=DESCRIPTION,
)
async def statistieken(
    caller: AnalistOfBehandelaar,
    organisatie: Annotated[str | None, Depends(organisatie_in_reach)],
    media_type: Annotated[str, Depends(accepting(JSON, CSV))],
    response: Response,
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
) -> StatistiekOut | Response:
    settings = state.settings
    assert isinstance(settings, MeldingenSettings)
    out = await service.statistieken(
        session,
        caller=caller,
        groepeer_op=groepeer_op,
        van=van,
        tot=tot,
        organisatie=organisatie,
        drempel=settings.statistiek_drempel,
    )
    if media_type == CSV:
        # Not JSON: a real Response, which FastAPI passes on as it is.
        return Response(service.as_csv(out, groepeer_op), media_type=CSV, headers=VARY)
    response.headers.update(VARY)
    return out
