"""create_app(): the meldingen service."""

from __future__ import annotations

from fastapi import FastAPI

from services.common.app_factory import ServiceSpec, create_service_app
from services.common.db import DatabaseTarget
from services.meldingen.aangifte.router import router as aangifte_router
from services.meldingen.bijlage.router import router as bijlage_router
from services.meldingen.bijlage.startup import BIJLAGE_BODY
from services.meldingen.config import MeldingenSettings
from services.meldingen.db import SCHEMA
from services.meldingen.events import uitgaande_gebeurtenis
from services.meldingen.inzage.router import router as inzage_router
from services.meldingen.melding.router import router as melding_router
from services.meldingen.mijngegevens.router import router as mijngegevens_router
from services.meldingen.nazorg.router import router as nazorg_router
from services.meldingen.notitie.router import router as notitie_router
from services.meldingen.startup import startup
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
`melding-toegewezen`, `aangifte-gewijzigd`, `bijlage-toegevoegd`; van de planner
`melding-termijn-verstreken` en `nazorgmoment-verlopen`) naar NATS JetStream
(`weerbaar.meldingen.<type>`).
`data` is dun: `meldingId`, `kenmerk`, `organisatie`, `vertrouwelijk`, `status`, `prioriteit`,
tijden en bij een wijziging de vorige waarde; nooit de omschrijving, een toelichting, het
registratienummer of wie melder of behandelaar is. Wie meer wil, haalt `dataref` op.

**Termijnen.** Elke melding heeft `reactieUiterlijk`: uiterlijk dan moet een behandelaar haar
oppakken — uit `ontvangen` halen of toewijzen; het eerste van beide zet `opgepaktOp`, en
heropenen verandert dat niet. De termijn hangt af van `prioriteit` en telt vanaf `aangemaaktOp`:
`spoed` 1 uur kloktijd (ook 's nachts en in het weekend), `hoog` 1 werkdag, `normaal` 3 werkdagen.
Werkdagen zijn maandag tot en met vrijdag behalve de Nederlandse nationale feestdagen (het pakket
`holidays`), op dezelfde kloktijd in Europe/Amsterdam, ook over een zomer- of wintertijdwissel.
Een prioriteitswijziging rekent opnieuw vanaf `aangemaaktOp`. Instelbaar met
`WEERBAAR_REACTIETERMIJNEN` (standaard `spoed=PT1H,hoog=1w,normaal=3w`: ISO 8601-duur of `Nw`
werkdagen). Voorbeelden (lokale tijd):

| aangemaaktOp | prioriteit | reactieUiterlijk | waarom |
|---|---|---|---|
| vr 4 dec 2026 16:00 | normaal | wo 9 dec 2026 16:00 | weekend telt niet |
| do 24 dec 2026 10:00 | hoog | ma 28 dec 2026 10:00 | eerste kerstdag, dan het weekend |
| ma 26 apr 2027 09:00 | normaal | vr 30 apr 2027 09:00 | Koningsdag (di 27 april) telt niet |
| vr 27 mrt 2026 16:00 CET | normaal | wo 1 apr 2026 16:00 CEST | zomertijd, zelfde kloktijd |
| di 1 dec 2026 23:30 | spoed | wo 2 dec 2026 00:30 | kloktijd, over middernacht |

`termijnVerstreken` is waar als `reactieUiterlijk` verstreek voordat de melding werd opgepakt
(of, nooit opgepakt, werd afgesloten). Verstrijkt de termijn zonder dat iemand de melding
oppakte, dan schrijft de dienst precies één `melding-termijn-verstreken`; een nazorgmoment dat
onuitgevoerd zijn `gepland` passeert geeft precies één `nazorgmoment-verlopen`. De drie velden
en het filter `termijnVerstreken` zijn alleen voor behandelaars: de melder ziet ze nergens
(detail, lijst, `mijn-gegevens`), en krijgt evenmin die gebeurtenissen. De statistieken groeperen
niet op `termijnVerstreken`: het wordt waar door het verstrijken van de tijd, zonder een
wijziging in een transactie, dus de maandtotalen (bijgehouden in de transactie van elke
wijziging, met hun celsleutels) kunnen het niet dragen; het per verzoek uit de meldingen tellen
is wat die totalen vermijden. Het blijft daarom weg.

**Keuzes waar het contract open is.** Een ongeldig id is 404. `sortering=prioriteit` zet
spoed vóór hoog vóór normaal en daarbinnen het nieuwste eerst. `tot` is exclusief.
Notities en lijsten zijn gepagineerd. Vrije tekst wordt versleuteld opgeslagen (AES-256-GCM).
Het filter `behandelaar` is voor behandelaars; een melder die het gebruikt krijgt 400.

## Wijzigingen in 1.1.0

- Termijnen: `reactieUiterlijk`, `opgepaktOp` en `termijnVerstreken` in wat een behandelaar
  ziet, het filter `termijnVerstreken`, en de gebeurtenissen `melding-termijn-verstreken` en
  `nazorgmoment-verlopen` (zie "Termijnen").

- Lijsten dragen geen vrije tekst meer voor behandelaars (een bewuste privacyversmalling van
  v1): `GET /meldingen` toont een behandelaar geen `omschrijving` en `GET /nazorgmomenten`
  geen `omschrijving` of `uitkomst`. De tekst staat in de detailweergaven, en elke lezing
  daarvan komt in het toegangslog, zodat de melder ziet wie zijn melding las. De eigen
  meldingen van de melder houden hun omschrijving.
- Het filter `behandelaar` van `GET /meldingen` is alleen voor behandelaars: wie een melding
  behandelt is voor de melder verborgen, dus een melder krijgt 400 in plaats van een telling.
- Statistieken: aantallen zijn afgerond met ruis (celsleutelmethode, `methode: celsleutel`),
  zodat twee tabellen niet van elkaar af te trekken zijn tot één persoon; groepen onder
  `drempel` ontbreken (`onderdrukt` is altijd false, `aantal` nooit null); een analist met
  `organisatie` en `groepeerOp=functie` krijgt 400 `combination_refused`.
- Nieuw: bijlagen (bewijsstukken) bij een melding: `POST`/`GET …/meldingen/{id}/bijlagen`,
  `GET …/bijlagen/{bid}` en `…/bijlagen/{bid}/inhoud`; multipart/form-data tot 20 MiB,
  hoogstens 20 per melding, type uit de inhoud (PNG, JPEG, PDF, tekst, e-mail), SHA-256 en
  `Repr-Digest`, versleuteld opgeslagen, gescand door ClamAV (`scanstatus`); toegangslog-acties
  `bijlage_toegevoegd` en `bijlage_bekeken`; `mijn-gegevens` bevat `bijlagen`.
- Statistieken onderhandelen `Accept` (q-waarden, `*/*`, `text/*`, `application/*`): een
  `Accept` dat JSON noch CSV toelaat is 406 problem+json, waar het eerder JSON gaf.
- `HEAD` op elke `GET`-route (was 405); zie "HEAD".
- Bijlagen: per persoon hoogstens `WEERBAAR_BIJLAGEN_MIB_PER_DAG` MiB (standaard 1024) in elke
  24 uur, daarna 429 `bijlagen-quotum` met `Retry-After`: zonder grens vulde één token de
  schijf waarop ook de meldingen staan.
"""
VERSION = "1.1.0"


def create_app(
    settings: MeldingenSettings | None = None, target: DatabaseTarget | None = None
) -> FastAPI:
    settings = settings or MeldingenSettings()
    spec = ServiceSpec(
        name="meldingen",
        schema=SCHEMA,
        title="Weerbaar Bestuur — meldingen",
        description=DESCRIPTION,
        version=VERSION,
        routers=[
            melding_router,
            notitie_router,
            inzage_router,
            aangifte_router,
            nazorg_router,
            statistiek_router,
            mijngegevens_router,
            bijlage_router,
        ],
        route_bodies=(BIJLAGE_BODY,),
        outbox=uitgaande_gebeurtenis,
    )
    return create_service_app(spec, settings, target=target, startup=startup)
