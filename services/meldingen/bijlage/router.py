"""HTTP endpoints of evidence attachments: parse, call the service, return its view."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import StreamingResponse

from services.common.deps import KeyRingDep, SessionDep, StateDep
from services.common.links import absolute_url
from services.common.pagination import Page, PageParams, build_page, page_params
from services.common.paths import api_base
from services.meldingen.bijlage import quotum, service
from services.meldingen.bijlage.bestandsnaam import content_disposition
from services.meldingen.bijlage.ontvangst import MAX_BESTAND
from services.meldingen.bijlage.scanner import STATE_KEY, Scanner
from services.meldingen.bijlage.schemas import MAX_OMSCHRIJVING, BijlageOut
from services.meldingen.config import MeldingenSettings
from services.meldingen.melding.dependencies import MelderOfBehandelaar, MeldingInReach, parse_id

BASE = api_base("meldingen")
UPLOAD_PATH = BASE + r"/meldingen/[^/]+/bijlagen"
router = APIRouter(prefix=BASE, tags=["bijlagen"])
PageDep = Annotated[PageParams, Depends(page_params)]

_UPLOAD_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["bestand"],
                "properties": {
                    "bestand": {
                        "type": "string",
                        "format": "binary",
                        "description": "PNG, JPEG, PDF, tekst (UTF-8, `.txt`) of e-mail "
                        "(`.eml`), hoogstens 20 MiB.",
                    },
                    "omschrijving": {"type": "string", "maxLength": MAX_OMSCHRIJVING},
                    "zichtbaarVoorMelder": {
                        "type": "string",
                        "enum": ["true", "false"],
                        "description": "Alleen voor behandelaars; standaard `true`.",
                    },
                },
            }
        }
    },
}


def _quotum_bytes(settings: object) -> int:
    assert isinstance(settings, MeldingenSettings)
    return settings.bijlagen_mib_per_dag * quotum.MIB


_CONTENT_TYPES = ("image/png", "image/jpeg", "application/pdf", "text/plain", "message/rfc822")


@router.post(
    "/meldingen/{id}/bijlagen",
    operation_id="bijlageToevoegen",
    status_code=201,
    response_model=BijlageOut,
    response_model_exclude_unset=True,
    summary="Een bijlage (bewijsstuk) toevoegen",
    description=(
        "`multipart/form-data` met één bestand `bestand` en eventueel `omschrijving` "
        f"(hoogstens {MAX_OMSCHRIJVING} tekens), door de melder of een behandelaar in bereik. "
        "Het type wordt uit de inhoud bepaald, niet uit het opgegeven type: PNG, JPEG, PDF, "
        "tekst (UTF-8) en e-mail (RFC 5322); de extensie van de naam moet daarbij passen "
        "(`.png`, `.jpg`/`.jpeg`, `.pdf`, `.txt`, `.eml`) en het bestand moet als dat type "
        "te lezen zijn; anders 415. Hoogstens 20 MiB per bestand (413 zodra dat overschreden "
        "wordt, ook zonder of met een onjuiste Content-Length) en 20 bijlagen per melding "
        "(409). Per persoon hoogstens `WEERBAAR_BIJLAGEN_MIB_PER_DAG` MiB (standaard 1024) "
        "aan bijlagen in elke 24 uur: daarna 429 `bijlagen-quotum` met `Retry-After`. "
        "`sha256` gaat over de bytes zoals ontvangen en verandert nooit. Met een "
        "virusscanner is de `scanstatus` eerst `in_afwachting`; zonder is hij `niet_gescand`.\n\n"
        "**Zichtbaarheid.** Een bijlage van een behandelaar is zichtbaar voor de melder (het "
        "is bewijs in diens zaak), tenzij `zichtbaarVoorMelder=false`; een bijlage van de "
        "melder is altijd zichtbaar voor de melder. Onbekende velden zijn 400."
    ),
    openapi_extra={"requestBody": _UPLOAD_BODY, "x-weerbaar-max-body-bytes": MAX_BESTAND},
    responses={
        409: {"description": "De melding heeft al 20 bijlagen."},
        429: {"description": "De bijlagen van de laatste 24 uur van deze persoon zijn op."},
        413: {"description": "Het bestand is groter dan 20 MiB."},
        415: {
            "description": "Geen multipart/form-data, of een bestandstype dat niet wordt "
            "aanvaard of niet is wat het zegt."
        },
    },
)
async def add_bijlage(
    id: str, request: Request, response: Response, caller: MelderOfBehandelaar, state: StateDep
) -> BijlageOut:
    scanner = state.extras.get(STATE_KEY)
    added = await service.add_bijlage(
        state.sessions,
        caller=caller,
        melding_id=parse_id(id),
        stream=request.stream(),
        content_type=request.headers.get("content-type"),
        key_ring=state.key_ring,
        scannen=isinstance(scanner, Scanner),
        quotum_bytes=_quotum_bytes(state.settings),
    )
    if isinstance(scanner, Scanner):
        scanner.wake()
    response.headers["Location"] = absolute_url(
        request, f"{BASE}/meldingen/{added.bijlage.melding_id}/bijlagen/{added.bijlage.id}"
    )
    return added.view


@router.get(
    "/meldingen/{id}/bijlagen",
    operation_id="bijlagenLijst",
    response_model=Page[BijlageOut],
    response_model_exclude_unset=True,
    summary="Bijlagen bij een melding",
    description="Nieuwste eerst. De melder ziet alleen de voor hem zichtbare bijlagen; "
    "behandelaars zien ook `oorspronkelijkeBestandsnaam`. Gelogd als `bekeken`.",
)
async def list_bijlagen(
    request: Request,
    melding: MeldingInReach,
    caller: MelderOfBehandelaar,
    session: SessionDep,
    key_ring: KeyRingDep,
    paging: PageDep,
) -> Page[BijlageOut]:
    count, rows = await service.list_bijlagen(
        session, melding, caller=caller, offset=paging.offset, limit=paging.page_size
    )
    handler = service.voor_behandelaar(caller, melding)
    results = [service.to_view(row, key_ring, voor_behandelaar=handler) for row in rows]
    return build_page(request, paging, count, results)


@router.get(
    "/meldingen/{id}/bijlagen/{bid}",
    operation_id="bijlageOphalen",
    response_model=BijlageOut,
    response_model_exclude_unset=True,
    summary="Gegevens van één bijlage",
    description="De metadata met hash en scanstatus; niet de inhoud. Gelogd als `bekeken`.",
)
async def get_bijlage(
    bid: str,
    melding: MeldingInReach,
    caller: MelderOfBehandelaar,
    session: SessionDep,
    key_ring: KeyRingDep,
) -> BijlageOut:
    bijlage = await service.read_bijlage(session, melding, caller, service.parse_bijlage_id(bid))
    handler = service.voor_behandelaar(caller, melding)
    return service.to_view(bijlage, key_ring, voor_behandelaar=handler)


@router.get(
    "/meldingen/{id}/bijlagen/{bid}/inhoud",
    operation_id="bijlageInhoudOphalen",
    summary="De inhoud van een bijlage downloaden",
    description=(
        "De bytes, als `attachment` met de opgeschoonde naam, het uit de inhoud bepaalde "
        "mediatype, `Repr-Digest: sha-256=:…:` (RFC 9530), `Content-Security-Policy` met "
        "`sandbox` en `X-Content-Type-Options: nosniff`. Alleen geleverd bij scanstatus "
        "`schoon` (buiten productie ook `niet_gescand`); anders 409: "
        "`urn:weerbaar:probleem:bijlage-scan-in-afwachting` (met `Retry-After`), "
        "`…:bijlage-gewist` (besmet of na de bewaartermijn gewist) of "
        "`…:bijlage-niet-beschikbaar`. Elke download staat in het toegangslog als "
        "`bijlage_bekeken`."
    ),
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "De inhoud.",
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}} for t in _CONTENT_TYPES
            },
        },
        409: {"description": "De inhoud wordt (nog) niet geleverd."},
    },
)
async def download_bijlage(
    bid: str,
    melding: MeldingInReach,
    caller: MelderOfBehandelaar,
    session: SessionDep,
    state: StateDep,
) -> StreamingResponse:
    bijlage = await service.download(
        session,
        melding,
        caller,
        service.parse_bijlage_id(bid),
        production=state.settings.is_production,
    )
    digest = base64.b64encode(bytes.fromhex(bijlage.sha256)).decode("ascii")
    media_type = bijlage.mediatype
    if media_type == "text/plain":
        media_type += "; charset=utf-8"
    naam = service.bestandsnaam(bijlage, state.key_ring) or f"bijlage-{bijlage.id}"
    headers = {
        "Content-Disposition": content_disposition(naam),
        "Content-Length": str(bijlage.grootte),
        "Repr-Digest": f"sha-256=:{digest}:",
        "Content-Security-Policy": "sandbox; default-src 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff",
    }
    return StreamingResponse(
        service.inhoud(state.sessions, state.key_ring, bijlage),
        media_type=media_type,
        headers=headers,
    )
