"""`GET /zoeken`: public Dutch full-text search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from services.common.deps import SessionDep
from services.common.pagination import PageParams, build_page, page_params
from services.kennisbank.artikel.enums import ArtikelType, Doelgroep, Thema
from services.kennisbank.dependencies import ZoekdienstDep
from services.kennisbank.search.schemas import Zoekresultaten
from services.kennisbank.search.service import zoekresultaten, zoektreffers
from services.kennisbank.search.zoekmachine import Filters

BASE = "/api/kennisbank/v1"
router = APIRouter(prefix=BASE, tags=["zoeken"])


@router.get(
    "/zoeken",
    operation_id="artikelenZoeken",
    response_model=Zoekresultaten,
    summary="Zoeken in gepubliceerde artikelen (publiek)",
    description=(
        "Nederlandse zoekvraag: stammen (`bedreigingen` vindt `bedreiging`), zonder accenten "
        "(`geintimideerd` vindt `geïntimideerd`), stopwoorden genegeerd, synoniemen "
        "(`dreigbrief` ~ `bedreiging`). Een artikel hoeft niet elk woord te bevatten: de "
        "volgorde hangt af van hoeveel woorden het bevat en waar: één keer in de titel weegt "
        "zwaarder dan hoe vaak ook alleen in samenvatting of tekst, en de samenvatting zwaarder "
        "dan hoe vaak ook alleen in de tekst. Gelijke scores staan op slug. Tikfouten worden "
        "verbeterd (in hoogstens de eerste vijf onbekende woorden van de vraag); `suggestie` "
        "geeft dan de verbeterde vraag. `count` en de facetten tellen "
        "alle resultaten (exact), de facetten met de andere filters toegepast."
    ),
)
async def zoeken(
    request: Request,
    session: SessionDep,
    zoekdienst: ZoekdienstDep,
    paging: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str, Query(min_length=1, max_length=200, description="De zoekvraag.")],
    thema: Thema | None = None,
    doelgroep: Doelgroep | None = None,
    type: ArtikelType | None = None,
) -> Zoekresultaten:
    resultaat = await zoekdienst.zoek(
        session, q, Filters(thema, doelgroep, type), pagina=paging.page, grootte=paging.page_size
    )
    treffers = zoektreffers(resultaat)
    pagina = build_page(request, paging, resultaat.aantal, treffers)
    return zoekresultaten(resultaat, treffers, volgende=pagina.next, vorige=pagina.previous)
