"""create_app(): the notificaties service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from services.common.app_factory import ServiceSpec, ServiceState, create_service_app
from services.common.db import DatabaseTarget
from services.notificaties import worker
from services.notificaties.abonnement.router import router as abonnement_router
from services.notificaties.aflevering.router import router as aflevering_router
from services.notificaties.config import NotificatiesSettings
from services.notificaties.db import SCHEMA
from services.notificaties.deps import BEZORGER

DESCRIPTION = """\
Notificaties van Weerbaar Bestuur: partnersystemen (het zaaksysteem van een gemeente, de
piketdienst van het Ondersteuningsteam, de tooling van een politieliaison) abonneren op
gebeurtenissen in plaats van te pollen.

**Bereik beslist.** Een aflevering gaat alleen naar wie de bron zelf ook mag lezen, getoetst
op het moment van afleveren met de rollen en organisatie die bij het abonnement zijn bewaard.
Een gebeurtenis buiten bereik wordt nooit afgeleverd, nooit gelogd en nooit geteld. De
gebeurtenis is dun (ids, organisatie, status, data); wie meer wil, haalt `dataref` op met een
eigen token.

**Aflevering.** `POST` van de CloudEvent (`application/cloudevents+json`), getekend volgens
Standard Webhooks (`webhook-id` = id van de gebeurtenis, `webhook-timestamp`,
`webhook-signature`). Elke 2xx is afgeleverd; anders opnieuw na 5 s, 5 min, 30 min, 2 u, 5 u,
10 u en 10 u, daarna `mislukt`. 410 schakelt het abonnement uit. Tijdslimiet 10 s, redirects
worden niet gevolgd, van het antwoord wordt hoogstens 64 KiB gelezen. Minstens één keer, per
abonnement in volgorde van binnenkomst: ontvangers ontdubbelen op `webhook-id`.

**Keuzes waar het contract open is.** Het abonnement is van de `sub` van het token; bij
`client_credentials` is dat het eigen subject van de client (de `azp` van een gebruikerstoken
zou alle gebruikers van één app één eigenaar geven). Een aflevering die opnieuw gepland staat,
houdt latere afleveringen van hetzelfde abonnement tegen tot ze afgeleverd of mislukt is: zo
blijft de volgorde gegarandeerd, terwijl andere abonnementen er niets van merken. Per
abonnement is hoogstens één verzoek tegelijk onderweg: wat klaarstaat gaat direct achter elkaar
over een open gehouden verbinding. Een `spoed`-gebeurtenis krijgt geen eigen voorrangsbaan,
want die zou eerdere gebeurtenissen van hetzelfde abonnement inhalen; ze is snel doordat de
aflevering de stroom gebeurtenissen bijhoudt.

**Stroomonderbreker per abonnement.** Een ontvanger die niet antwoordt, verbindingen weigert
of steeds faalt, mag de aflevering aan anderen niet ophouden. Na (standaard) 3 pogingen op rij
die niet
afgeleverd zijn (een time-out, een verbinding die niet tot stand komt of breekt, elk antwoord
buiten 2xx; `WEERBAAR_WEBHOOK_BREAKER_THRESHOLD`) gaat de onderbreker open: de gebeurtenissen
van dat abonnement worden dan niet meer elk meteen geprobeerd, maar wachten achter één
proefaflevering per interval van het gewone schema (5 s, 5 min, 30 min, 2 u, 5 u, 10 u, 10 u,
daarna elke 10 u). De proef is steeds de eerste openstaande aflevering in volgorde, met haar
eigen schema van herhalingen en `mislukt` daarna; een abonnement dat faalt heeft zo hoogstens
één verzoek tegelijk onderweg, en verbindingen worden per abonnement bijgehouden, zodat een
ontvanger die verzoeken vasthoudt geen verbinding bezet waar een ander abonnement bij dezelfde
host op wacht. De eerste geslaagde poging sluit de onderbreker en de achterstand gaat in
volgorde uit, niets gaat verloren. Een gebeurtenis die achter de proef wacht zonder geprobeerd
te zijn, staat niet in het afleverlog (dat toont pogingen, en die is er niet) en telt geen
poging: haar schema van herhalingen begint pas bij haar eerste echte poging, zodat ze niet
`mislukt` zonder ooit verstuurd te zijn. Een `opnieuw` laat de proef direct gaan; een nieuwe
`callbackUrl` of het weer aanzetten van het abonnement sluit de onderbreker. 410 schakelt het
abonnement uit zoals altijd. De stand staat in de database: ze overleeft een herstart en geldt
voor elke replica.

**Bewaren.** Gebeurtenissen, afgeronde afleveringen en hun log worden na 30 dagen verwijderd
(`WEERBAAR_BEWAARTERMIJN_SECONDEN`); een aflevering die nog loopt blijft staan. De
bereik-attributen (wie meldde, wie behandelt) worden versleuteld bewaard en nooit afgeleverd.

**Changelog.** 1.0.0 — eerste versie (contract v1.1, part D). Daarna, zonder wijziging van
paden, statussen of velden: de stroomonderbreker per abonnement.
"""


def create_app(
    settings: NotificatiesSettings | None = None, target: DatabaseTarget | None = None
) -> FastAPI:
    settings = settings or NotificatiesSettings()

    @asynccontextmanager
    async def startup(state: ServiceState) -> AsyncIterator[None]:
        if not settings.worker:
            yield
            return
        async with worker.running(state.sessions, settings, state.key_ring) as bezorger:
            state.extras[BEZORGER] = bezorger
            yield

    spec = ServiceSpec(
        name="notificaties",
        schema=SCHEMA,
        title="Weerbaar Bestuur — notificaties",
        description=DESCRIPTION,
        routers=[abonnement_router, aflevering_router],
    )
    return create_service_app(spec, settings, target=target, startup=startup)
