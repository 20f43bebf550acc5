"""create_app(): the kennisbank service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from contract.public_routes import KENNISBANK_PUBLIC_ROUTES
from services.common.app_factory import ServiceSpec, ServiceState, create_service_app
from services.common.db import DatabaseTarget
from services.common.middleware import PublicRoute
from services.kennisbank.artikel.router import router as artikel_router
from services.kennisbank.config import KennisbankSettings
from services.kennisbank.db import SCHEMA
from services.kennisbank.dependencies import ZOEKDIENST
from services.kennisbank.events import uitgaande_gebeurtenis
from services.kennisbank.search.router import router as zoek_router
from services.kennisbank.search.service import Zoekdienst

DESCRIPTION = """\
Kennisbank van Weerbaar Bestuur: handreikingen, protocollen, factsheets en contactinformatie
over agressie, intimidatie en bedreiging tegen politieke ambtsdragers en ambtenaren.

**Publiek.** Gepubliceerde artikelen en zoeken zijn zonder token te lezen; een token dat wordt
meegestuurd, moet wel geldig zijn (anders 401).

**Redactie.** Alleen de rol `redacteur` schrijft, wijzigt en publiceert (andere rollen: 403;
zonder token: 401), en ziet concepten en gearchiveerde artikelen. Voor anderen bestaan die
niet (404, en afwezig in lijsten en zoekresultaten). Elke wijziging bewaart een revisie.

**Gebeurtenissen.** Publiceren en archiveren schrijven in dezelfde transactie
`artikel-gepubliceerd` en `artikel-gearchiveerd` naar NATS JetStream
(`weerbaar.kennisbank.<type>`); `subject` is de slug, `data` houdt ids, slug, type, status,
versie en datums, nooit titel of tekst. Terug naar concept is geen gebeurtenis.

**Keuzes waar het contract open is.** Slugs komen uit de titel bij het aanmaken (met `-2`,
`-3`… als ze bezet zijn) en veranderen daarna nooit. `inhoudHtml` is de Markdown als HTML,
gesaneerd met nh3. Zoeken rangschikt in Python (BM25F), zodat PostgreSQL en SQLite dezelfde
volgorde geven.
"""

# Written once, in the contract package: the gateway lets the same reads through untokened.
PUBLIC_ROUTES = tuple(PublicRoute.of(methods, path) for methods, path in KENNISBANK_PUBLIC_ROUTES)


@asynccontextmanager
async def _startup(state: ServiceState) -> AsyncIterator[None]:
    state.extras[ZOEKDIENST] = Zoekdienst()
    yield


def create_app(
    settings: KennisbankSettings | None = None, target: DatabaseTarget | None = None
) -> FastAPI:
    settings = settings or KennisbankSettings()
    spec = ServiceSpec(
        name="kennisbank",
        schema=SCHEMA,
        title="Weerbaar Bestuur — kennisbank",
        description=DESCRIPTION,
        routers=[artikel_router, zoek_router],
        outbox=uitgaande_gebeurtenis,
        public_routes=PUBLIC_ROUTES,
    )
    return create_service_app(spec, settings, target=target, startup=_startup)
