"""The events this service writes to its outbox (DESIGN.md part D, docs/events.md).

`data` is thin: ids, kenmerk, organisatie, vertrouwelijk, status, prioriteit and times. Never
the description, a person's subject, a note or anything encrypted at rest: whoever needs more
fetches `dataref` with its own token. Who the melder and the handler are travels only in the
reach attributes (a NATS header that is never delivered).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from services.common.outbox import RecordedEvent, SessionLike, outbox_table, record_event
from services.common.paths import api_base
from services.meldingen.aangifte.models import Aangifte
from services.meldingen.bijlage.models import Bijlage
from services.meldingen.db import metadata
from services.meldingen.melding.models import Melding
from services.meldingen.nazorg.models import Nazorgmoment

SERVICE = "meldingen"
BASE = api_base("meldingen")
uitgaande_gebeurtenis = outbox_table(metadata)


def _reach(melding: Melding) -> dict[str, Any]:
    return {
        "organisatie": melding.organisatie,
        "vertrouwelijk": melding.vertrouwelijk,
        "owbBereik": melding.owb_bereik,
        "melder": melding.melder,
        "behandelaar": melding.behandelaar,
    }


def _melding_data(melding: Melding) -> dict[str, Any]:
    return {
        "meldingId": str(melding.id),
        "kenmerk": melding.kenmerk,
        "organisatie": melding.organisatie,
        "vertrouwelijk": melding.vertrouwelijk,
        "status": melding.status,
        "prioriteit": melding.prioriteit,
        "gewijzigdOp": melding.gewijzigd_op,
    }


def _record(
    session: SessionLike,
    melding: Melding,
    type: str,
    data: dict[str, Any],
    path: str = "",
    *,
    subject: uuid.UUID | None = None,
    reach: dict[str, Any] | None = None,
    time: datetime | None = None,
) -> RecordedEvent:
    """An event about the melding (or, with ``subject`` and ``path``, one of its parts);
    by default for everyone who may see it, at its last change."""
    return record_event(
        session,
        table=uitgaande_gebeurtenis,
        service=SERVICE,
        type=type,
        subject=str(subject or melding.id),
        path=f"{BASE}/meldingen/{melding.id}{path}",
        data=data,
        reach=_reach(melding) if reach is None else reach,
        time=melding.gewijzigd_op if time is None else time,
    )


def melding_aangemaakt(session: SessionLike, melding: Melding) -> RecordedEvent:
    data = _melding_data(melding) | {"aangemaaktOp": melding.aangemaakt_op}
    return _record(session, melding, "melding-aangemaakt", data)


def melding_status_gewijzigd(
    session: SessionLike, melding: Melding, *, vorige_status: str
) -> RecordedEvent:
    data = _melding_data(melding) | {"vorigeStatus": str(vorige_status)}
    return _record(session, melding, "melding-status-gewijzigd", data)


def melding_prioriteit_gewijzigd(
    session: SessionLike, melding: Melding, *, vorige_prioriteit: str
) -> RecordedEvent:
    data = _melding_data(melding) | {"vorigePrioriteit": str(vorige_prioriteit)}
    return _record(session, melding, "melding-prioriteit-gewijzigd", data)


def melding_toegewezen(session: SessionLike, melding: Melding) -> RecordedEvent:
    # Not the handler's subject: that is a person's subject (it travels in the reach header).
    return _record(session, melding, "melding-toegewezen", _melding_data(melding))


def aangifte_gewijzigd(session: SessionLike, melding: Melding, aangifte: Aangifte) -> RecordedEvent:
    # Never the police registration number: it is encrypted at rest.
    data = _melding_data(melding) | {
        "aangifteStatus": aangifte.status,
        "datumAangifte": aangifte.datum_aangifte,
        "aangifteGewijzigdOp": aangifte.gewijzigd_op,
    }
    return _record(session, melding, "aangifte-gewijzigd", data, "/aangifte")


def bijlage_toegevoegd(session: SessionLike, melding: Melding, bijlage: Bijlage) -> RecordedEvent:
    # Never the file name or description (both encrypted at rest), nor the uploader.
    data = _melding_data(melding) | {
        "bijlageId": str(bijlage.id),
        "mediatype": bijlage.mediatype,
        "grootte": bijlage.grootte,
        "aangemaaktOp": bijlage.aangemaakt_op,
    }
    reach = _reach(melding)
    if not bijlage.zichtbaar_voor_melder:
        # A handler's attachment hidden from the melder: its existence is hidden from them too.
        reach["melder"] = None
    return record_event(
        session,
        table=uitgaande_gebeurtenis,
        service=SERVICE,
        type="bijlage-toegevoegd",
        subject=str(bijlage.id),
        path=f"{BASE}/meldingen/{melding.id}/bijlagen/{bijlage.id}",
        data=data,
        reach=reach,
        time=bijlage.aangemaakt_op,
    )


def _handler_reach(melding: Melding) -> dict[str, Any]:
    # An escalation is a handler's matter: the melder never sees the deadline, nor its events.
    return _reach(melding) | {"melder": None}


def melding_termijn_verstreken(session: SessionLike, melding: Melding) -> RecordedEvent:
    """Written once, by the scheduler, with the marker `termijn_gemeld_op` in one transaction."""
    data = _melding_data(melding) | {
        "aangemaaktOp": melding.aangemaakt_op,
        "reactieUiterlijk": melding.reactie_uiterlijk,
    }
    return _record(
        session,
        melding,
        "melding-termijn-verstreken",
        data,
        reach=_handler_reach(melding),
        time=melding.reactie_uiterlijk,
    )


def nazorgmoment_verlopen(
    session: SessionLike, melding: Melding, moment: Nazorgmoment
) -> RecordedEvent:
    """Written once, by the scheduler, with the marker `verlopen_gemeld_op` in one transaction.

    Never the moment's description or outcome (both encrypted at rest)."""
    data = _melding_data(melding) | {
        "nazorgmomentId": str(moment.id),
        "gepland": moment.gepland,
        "automatisch": moment.automatisch,
    }
    return _record(
        session,
        melding,
        "nazorgmoment-verlopen",
        data,
        f"/nazorgmomenten/{moment.id}",
        subject=moment.id,
        reach=_handler_reach(melding),
        time=moment.gepland,
    )
