"""The rules of the kennisbank articles: the editorial workflow, revisions, slugs.

Who sees what is in `services/kennisbank/reach.py`. Services return schema models (or the
domain object, for the dependencies); they flush but never commit: the request boundary
commits or rolls back.
"""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.etag import require_if_match, version_etag
from services.common.principal import Principal
from services.common.problems import Conflict, InvalidInput, NotFound
from services.common.types import utcnow
from services.kennisbank import events, reach
from services.kennisbank.artikel import repository
from services.kennisbank.artikel.enums import Actie, ArtikelType, Doelgroep, Status, Thema
from services.kennisbank.artikel.models import Artikel, Revisie
from services.kennisbank.artikel.rendering import TeComplex, render
from services.kennisbank.artikel.repository import ListFilter
from services.kennisbank.artikel.schemas import (
    ArtikelCreate,
    ArtikelOut,
    ArtikelPatch,
    ArtikelSummary,
    RevisieOut,
)
from services.kennisbank.artikel.slug import make_slug, unique_slug
from services.kennisbank.artikel.states import ARTIKEL_STATES
from services.kennisbank.search.service import Zoekdienst

SLUG_ATTEMPTS = 5
NOT_FOUND = "Er is geen gepubliceerd artikel met deze slug."


def etag(artikel: Artikel | ArtikelSummary) -> str:
    return version_etag(artikel.id, artikel.versie)


def ensure_version(artikel: Artikel, if_match: str | None) -> None:
    """412 unless ``If-Match`` (a list) names this version, holds ``*`` or is absent."""
    require_if_match(
        if_match, etag(artikel), "Het artikel is intussen gewijzigd; haal het opnieuw op."
    )


async def artikel_in_reach(
    session: AsyncSession, caller: Principal | None, slug: str, *, for_update: bool = False
) -> Artikel:
    """Drafts and archived articles exist only for editors; for anyone else: 404."""
    artikel = await repository.by_slug(session, slug, for_update=for_update)
    if artikel is None or not reach.may_see(caller, artikel):
        raise NotFound(NOT_FOUND)
    return artikel


async def list_artikelen(
    session: AsyncSession,
    caller: Principal | None,
    *,
    status: Status | None,
    thema: Thema | None,
    doelgroep: Doelgroep | None,
    type: ArtikelType | None,
    offset: int,
    limit: int,
) -> tuple[int, list[ArtikelSummary]]:
    """Newest first; only the statuses in the caller's reach (none: an empty list)."""
    statussen = reach.visible_statuses(caller, status)
    if not statussen:
        return 0, []
    filters = ListFilter(tuple(str(s) for s in statussen), thema, doelgroep, type)
    count, artikelen = await repository.list_artikelen(session, filters, offset=offset, limit=limit)
    taxonomie = await repository.taxonomie(session, [a.id for a in artikelen])
    return count, [_summary(a, *taxonomie[a.id]) for a in artikelen]


def _summary_fields(
    artikel: Artikel, themas: list[str], doelgroepen: list[str]
) -> dict[str, object]:
    return {
        "id": artikel.id,
        "slug": artikel.slug,
        "titel": artikel.titel,
        "samenvatting": artikel.samenvatting,
        "themas": themas,
        "doelgroepen": doelgroepen,
        "type": artikel.type,
        "status": artikel.status,
        "versie": artikel.versie,
        "aangemaakt_op": artikel.aangemaakt_op,
        "gewijzigd_op": artikel.gewijzigd_op,
        "gepubliceerd_op": artikel.gepubliceerd_op,
    }


def _summary(artikel: Artikel, themas: list[str], doelgroepen: list[str]) -> ArtikelSummary:
    return ArtikelSummary.model_validate(_summary_fields(artikel, themas, doelgroepen))


async def get_artikel(session: AsyncSession, artikel: Artikel) -> ArtikelOut:
    themas, doelgroepen = (await repository.taxonomie(session, [artikel.id]))[artikel.id]
    return ArtikelOut.model_validate(
        {
            **_summary_fields(artikel, themas, doelgroepen),
            "inhoud": artikel.inhoud,
            "inhoud_html": artikel.inhoud_html,
        }
    )


async def _render_html(inhoud: str) -> str:
    """Rendered once, at the write; past the time limit the article is refused (400)."""
    try:
        return await render(inhoud)
    except TeComplex as exc:
        raise InvalidInput.field(
            "inhoud", "te_complex", "De inhoud is te complex om binnen de tijd weer te geven."
        ) from exc


async def _add_revisie(session: AsyncSession, artikel: Artikel, actie: Actie, door: str) -> None:
    themas, doelgroepen = (await repository.taxonomie(session, [artikel.id]))[artikel.id]
    await repository.add(
        session,
        Revisie(
            id=uuid.uuid4(),
            artikel_id=artikel.id,
            versie=artikel.versie,
            actie=actie,
            titel=artikel.titel,
            samenvatting=artikel.samenvatting,
            inhoud=artikel.inhoud,
            themas=themas,
            doelgroepen=doelgroepen,
            type=artikel.type,
            status=artikel.status,
            door=door,
            tijdstip=artikel.gewijzigd_op,
        ),
    )


async def _reindex(session: AsyncSession, zoekdienst: Zoekdienst, artikel: Artikel) -> None:
    await zoekdienst.werk_bij(
        session,
        artikel_id=artikel.id,
        gepubliceerd=artikel.status == Status.gepubliceerd,
        titel=artikel.titel,
        samenvatting=artikel.samenvatting,
        inhoud=artikel.inhoud,
    )


async def create_artikel(
    session: AsyncSession,
    zoekdienst: Zoekdienst,
    *,
    door: str,
    data: ArtikelCreate,
    status: Status = ARTIKEL_STATES.initial,
) -> ArtikelOut:
    """A new article (``concept`` unless seeding) with a unique slug and revision 1."""
    inhoud_html = await _render_html(data.inhoud)
    now = utcnow()
    for _ in range(SLUG_ATTEMPTS):
        slug = unique_slug(data.titel, await repository.taken_slugs(session, make_slug(data.titel)))
        artikel = Artikel(
            id=uuid.uuid4(),
            slug=slug,
            titel=data.titel,
            samenvatting=data.samenvatting,
            inhoud=data.inhoud,
            inhoud_html=inhoud_html,
            type=data.type,
            status=status,
            versie=1,
            aangemaakt_door=door,
            gewijzigd_door=door,
            aangemaakt_op=now,
            gewijzigd_op=now,
            gepubliceerd_op=now if status == Status.gepubliceerd else None,
        )
        try:
            async with session.begin_nested():
                await repository.add(session, artikel)
            break
        except IntegrityError:
            continue  # another editor took this slug a moment ago: count on
    else:
        raise Conflict("Er kon geen unieke slug worden gemaakt; probeer het opnieuw.")
    await repository.set_taxonomie(session, artikel.id, data.themas, data.doelgroepen)
    await _add_revisie(session, artikel, Actie.aangemaakt, door)
    await _reindex(session, zoekdienst, artikel)
    return await get_artikel(session, artikel)


async def update_artikel(
    session: AsyncSession,
    zoekdienst: Zoekdienst,
    artikel: Artikel,
    *,
    door: str,
    data: ArtikelPatch,
    if_match: str | None = None,
) -> ArtikelOut:
    """Apply the fields given (412 when ``If-Match`` names another version); the slug is
    kept when the title changes."""
    ensure_version(artikel, if_match)
    if "inhoud" in data.model_fields_set and data.inhoud is not None:
        artikel.inhoud_html = await _render_html(data.inhoud)
    for veld in ("titel", "samenvatting", "inhoud", "type"):
        if veld in data.model_fields_set:
            setattr(artikel, veld, getattr(data, veld))
    if data.themas is not None or data.doelgroepen is not None:
        current_themas, current_doelgroepen = (await repository.taxonomie(session, [artikel.id]))[
            artikel.id
        ]
        await repository.set_taxonomie(
            session,
            artikel.id,
            data.themas if data.themas is not None else current_themas,
            data.doelgroepen if data.doelgroepen is not None else current_doelgroepen,
        )
    await _next_versie(session, zoekdienst, artikel, door, Actie.gewijzigd)
    return await get_artikel(session, artikel)


async def change_status(
    session: AsyncSession, zoekdienst: Zoekdienst, artikel: Artikel, *, door: str, target: Status
) -> ArtikelOut:
    """Move along the workflow (409 `InvalidTransition` otherwise); publishing and archiving
    write their event in the same transaction."""
    ARTIKEL_STATES.ensure_move(Status(artikel.status), target)
    artikel.status = target
    if target == Status.gepubliceerd:
        artikel.gepubliceerd_op = utcnow()
    await _next_versie(session, zoekdienst, artikel, door, Actie.status_gewijzigd)
    if target == Status.gepubliceerd:
        events.artikel_gepubliceerd(session, artikel)
    elif target == Status.gearchiveerd:
        events.artikel_gearchiveerd(session, artikel)
    return await get_artikel(session, artikel)


async def _next_versie(
    session: AsyncSession, zoekdienst: Zoekdienst, artikel: Artikel, door: str, actie: Actie
) -> None:
    artikel.versie += 1
    artikel.gewijzigd_door = door
    artikel.gewijzigd_op = utcnow()
    session.add(artikel)
    await session.flush()
    await _add_revisie(session, artikel, actie, door)
    await _reindex(session, zoekdienst, artikel)


async def list_revisies(
    session: AsyncSession, artikel: Artikel, *, offset: int, limit: int
) -> tuple[int, list[RevisieOut]]:
    """Newest first."""
    count, revisies = await repository.list_revisies(
        session, artikel.id, offset=offset, limit=limit
    )
    return count, [RevisieOut.model_validate(r, from_attributes=True) for r in revisies]
