"""The events this service writes to its outbox (DESIGN.md part D, docs/events.md).

Articles are public once published, yet `data` stays thin like everywhere else: ids, the
slug (the resource's address), type, status and dates, never the title or the text. Anyone
signed in may receive these, so the reach attributes are empty.
"""

from __future__ import annotations

from services.common.outbox import RecordedEvent, SessionLike, outbox_table, record_event
from services.common.paths import api_base
from services.kennisbank.artikel.models import Artikel
from services.kennisbank.db import metadata

SERVICE = "kennisbank"
BASE = api_base(SERVICE)
uitgaande_gebeurtenis = outbox_table(metadata)


def _record(session: SessionLike, artikel: Artikel, type: str) -> RecordedEvent:
    return record_event(
        session,
        table=uitgaande_gebeurtenis,
        service=SERVICE,
        type=type,
        subject=artikel.slug,
        path=f"{BASE}/artikelen/{artikel.slug}",
        data={
            "artikelId": artikel.id,
            "slug": artikel.slug,
            "type": artikel.type,
            "status": artikel.status,
            "versie": artikel.versie,
            "gepubliceerdOp": artikel.gepubliceerd_op,
            "gewijzigdOp": artikel.gewijzigd_op,
        },
        reach={},
        time=artikel.gewijzigd_op,
    )


def artikel_gepubliceerd(session: SessionLike, artikel: Artikel) -> RecordedEvent:
    return _record(session, artikel, "artikel-gepubliceerd")


def artikel_gearchiveerd(session: SessionLike, artikel: Artikel) -> RecordedEvent:
    return _record(session, artikel, "artikel-gearchiveerd")
