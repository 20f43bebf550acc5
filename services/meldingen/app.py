"""create_app(): the meldingen service."""

from __future__ import annotations

from fastapi import FastAPI

from services.common.app_factory import ServiceSpec, create_service_app
from services.common.db import DatabaseTarget
from services.meldingen.aangifte.router import router as aangifte_router
from services.meldingen.config import MeldingenSettings
from services.meldingen.db import SCHEMA
from services.meldingen.events import uitgaande_gebeurtenis
from services.meldingen.inzage.router import router as inzage_router
from services.meldingen.melding.router import router as melding_router
from services.meldingen.mijngegevens.router import router as mijngegevens_router
from services.meldingen.nazorg.router import router as nazorg_router
from services.meldingen.notitie.router import router as notitie_router
from services.meldingen.statistiek.router import router as statistiek_router

DESCRIPTION = """\
Meldingen van agressie, intimidatie en bedreiging tegen politieke ambtsdragers en
ambtenaren, en de behandeling ervan door het ondersteuningsteam.

**Bereik.** Een melder ziet zijn eigen meldingen. Een behandelaar ziet de niet-vertrouwelijke
meldingen van zijn eigen organisatie; behandelaars van `OWB` zien vertrouwelijke meldingen van
alle organisaties en meldingen die naar `OWB` zijn doorverwezen. Buiten uw bereik antwoordt de
API 404, ook als de melding bestaat. Een rol die een handeling nooit mag: 403. Niemand
behandelt zijn eigen melding (403).

**Volgorde van controles.** 413 → 401 → 415 → 400 (geen JSON) → 403 → 404 → 400 (velden) →
409/412.

**Gebeurtenissen.** Elke wijziging schrijft in dezelfde transactie één CloudEvent
(`melding-aangemaakt`, `melding-status-gewijzigd`, `melding-prioriteit-gewijzigd`,
`melding-toegewezen`, `aangifte-gewijzigd`) naar NATS JetStream (`weerbaar.meldingen.<type>`).
`data` is dun: `meldingId`, `kenmerk`, `organisatie`, `vertrouwelijk`, `status`, `prioriteit`,
tijden en bij een wijziging de vorige waarde; nooit de omschrijving, een toelichting, het
registratienummer of wie melder of behandelaar is. Wie meer wil, haalt `dataref` op.

**Keuzes waar het contract open is.** Een ongeldig id is 404. `sortering=prioriteit` zet
spoed vóór hoog vóór normaal en daarbinnen het nieuwste eerst. `tot` is exclusief.
Notities en lijsten zijn gepagineerd. Vrije tekst wordt versleuteld opgeslagen (AES-256-GCM).
"""


def create_app(
    settings: MeldingenSettings | None = None, target: DatabaseTarget | None = None
) -> FastAPI:
    settings = settings or MeldingenSettings()
    spec = ServiceSpec(
        name="meldingen",
        schema=SCHEMA,
        title="Weerbaar Bestuur — meldingen",
        description=DESCRIPTION,
        routers=[
            melding_router,
            notitie_router,
            inzage_router,
            aangifte_router,
            nazorg_router,
            statistiek_router,
            mijngegevens_router,
        ],
        outbox=uitgaande_gebeurtenis,
    )
    return create_service_app(spec, settings, target=target)
