"""The events this service writes to its outbox (DESIGN.md part D, docs/events.md).

`data` is thin: ids, organisatie, status, catalogue codes and dates. Never an address, a
reason, a person's subject (`betreft`, `aanvrager`, `adviseur`, `burgemeester`) or anything
encrypted at rest. The reach attributes are the organisation alone.

Choice where the contract is open: a measure that comes into being (on its own or in a
safety package) writes `beveiligingsmaatregel-status-gewijzigd` with `vorigeStatus: null` and
its first status `geadviseerd`, so a subscriber learns of every measure without polling; a
package writes `veiligheidspakket-aangemaakt` plus the events of the scan and the measures it
creates, all in its one transaction.
"""

from __future__ import annotations

from typing import Any

from services.beveiliging.beveiligingsmaatregel.models import Beveiligingsmaatregel
from services.beveiliging.db import metadata
from services.beveiliging.veiligheidspakket.models import Veiligheidspakket
from services.beveiliging.woningscan.models import Woningscan
from services.common.outbox import RecordedEvent, SessionLike, outbox_table, record_event
from services.common.paths import api_base

SERVICE = "beveiliging"
BASE = api_base(SERVICE)
uitgaande_gebeurtenis = outbox_table(metadata)


def _record(
    session: SessionLike,
    *,
    type: str,
    resource: str,
    id: object,
    organisatie: str,
    data: dict[str, Any],
) -> RecordedEvent:
    return record_event(
        session,
        table=uitgaande_gebeurtenis,
        service=SERVICE,
        type=type,
        subject=str(id),
        path=f"{BASE}/{resource}/{id}",
        data={"organisatie": organisatie, **data},
        reach={"organisatie": organisatie},
    )


def _scan_data(scan: Woningscan) -> dict[str, Any]:
    return {
        "woningscanId": scan.id,
        "status": scan.status,
        "meldingId": scan.melding_id,
        "gewijzigdOp": scan.gewijzigd_op,
    }


def woningscan_aangevraagd(session: SessionLike, scan: Woningscan) -> RecordedEvent:
    data = _scan_data(scan) | {"aangemaaktOp": scan.aangemaakt_op}
    return _record(
        session,
        type="woningscan-aangevraagd",
        resource="woningscans",
        id=scan.id,
        organisatie=scan.organisatie,
        data=data,
    )


def woningscan_status_gewijzigd(
    session: SessionLike, scan: Woningscan, *, vorige_status: str
) -> RecordedEvent:
    data = _scan_data(scan) | {"vorigeStatus": str(vorige_status), "gepland": scan.gepland}
    return _record(
        session,
        type="woningscan-status-gewijzigd",
        resource="woningscans",
        id=scan.id,
        organisatie=scan.organisatie,
        data=data,
    )


def beveiligingsmaatregel_status_gewijzigd(
    session: SessionLike, maatregel: Beveiligingsmaatregel, *, vorige_status: str | None
) -> RecordedEvent:
    return _record(
        session,
        type="beveiligingsmaatregel-status-gewijzigd",
        resource="beveiligingsmaatregelen",
        id=maatregel.id,
        organisatie=maatregel.organisatie,
        data={
            "beveiligingsmaatregelId": maatregel.id,
            "maatregel": maatregel.maatregel,  # a catalogue code
            "status": maatregel.status,
            "vorigeStatus": None if vorige_status is None else str(vorige_status),
            "woningscanId": maatregel.woningscan_id,
            "veiligheidspakketId": maatregel.veiligheidspakket_id,
            "gewijzigdOp": maatregel.gewijzigd_op,
        },
    )


def veiligheidspakket_aangemaakt(session: SessionLike, pakket: Veiligheidspakket) -> RecordedEvent:
    return _record(
        session,
        type="veiligheidspakket-aangemaakt",
        resource="veiligheidspakketten",
        id=pakket.id,
        organisatie=pakket.gemeente,
        data={
            "veiligheidspakketId": pakket.id,
            "woningscanId": pakket.woningscan_id,
            "intakegesprekId": pakket.intakegesprek_id,
            "startdatum": pakket.startdatum,
            "aangemaaktOp": pakket.aangemaakt_op,
        },
    )
