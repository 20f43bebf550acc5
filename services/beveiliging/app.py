"""create_app(): the beveiliging service."""

from __future__ import annotations

from fastapi import FastAPI

from services.beveiliging.beveiligingsmaatregel.router import router as beveiligingsmaatregel_router
from services.beveiliging.config import BeveiligingSettings
from services.beveiliging.db import SCHEMA
from services.beveiliging.events import uitgaande_gebeurtenis
from services.beveiliging.maatregel.router import router as maatregel_router
from services.beveiliging.risicoanalyse.router import router as risicoanalyse_router
from services.beveiliging.veiligheidspakket.router import router as veiligheidspakket_router
from services.beveiliging.woningscan.router import router as woningscan_router
from services.common.app_factory import ServiceSpec, create_service_app
from services.common.db import DatabaseTarget

DESCRIPTION = """\
Beveiliging van politieke ambtsdragers en ambtenaren: de catalogus van maatregelen, de
risicoanalyse, woningscans, maatregelen per persoon en het veiligheidspakket voor startende
burgemeesters.

**Bereik.** De aanvrager en de betrokkene (`betreft`) zien hun eigen woningscans,
risicoanalyses en maatregelen. Een `beveiligingsadviseur` ziet die van de eigen organisatie;
adviseurs van `OWB` zien alles. Buiten uw bereik antwoordt de API 404, ook als het bestaat.
Een rol die een handeling nooit mag: 403. Niemand behandelt zijn eigen zaak: een adviseur die
zelf de betrokkene is, handelt als aanvrager.

**Privacy.** Adres en reden van een woningscan en de antwoorden van een risicoanalyse worden
versleuteld opgeslagen (AES-256-GCM, gebonden aan de rij). Het adres staat alleen in de
detailweergave van een woningscan, nooit in lijsten.

**Volgorde van controles.** 413 → 401 → 415 → 400 (geen JSON) → 403 → 404 → 400 (velden) →
409.

**Gebeurtenissen.** Elke wijziging schrijft in dezelfde transactie een CloudEvent naar NATS
JetStream (`weerbaar.beveiliging.<type>`), met dunne `data`: ids, `organisatie`, `status`,
de catalogus-code en datums; nooit adres, reden of een persoon. Een nieuwe maatregel (ook in
een veiligheidspakket) geeft `beveiligingsmaatregel-status-gewijzigd` met `vorigeStatus: null`;
een pakket geeft `veiligheidspakket-aangemaakt` plus de gebeurtenissen van zijn woningscan en
maatregelen.

**Keuzes waar het contract open is.** Een ongeldig id is 404. `kosten` is een decimale string
met hooguit twee decimalen. `verlooptVoor` toont open maatregelen (geadviseerd, goedgekeurd,
geplaatst) met een einddatum vóór die dag. De beheerder trekt een maatregel in met
`PATCH /maatregelen/{code}` en `actief: false`; ingetrokken maatregelen blijven leesbaar,
worden niet meer aanbevolen en horen niet meer bij het pakket.
"""


def create_app(
    settings: BeveiligingSettings | None = None, target: DatabaseTarget | None = None
) -> FastAPI:
    settings = settings or BeveiligingSettings()
    spec = ServiceSpec(
        name="beveiliging",
        schema=SCHEMA,
        title="Weerbaar Bestuur — beveiliging",
        description=DESCRIPTION,
        routers=[
            maatregel_router,
            risicoanalyse_router,
            woningscan_router,
            beveiligingsmaatregel_router,
            veiligheidspakket_router,
        ],
        outbox=uitgaande_gebeurtenis,
    )
    return create_service_app(spec, settings, target=target)
