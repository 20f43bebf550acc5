"""The transactional outbox: an event row written in the same transaction as the change.

Each service declares one `uitgaande_gebeurtenis` table on its own metadata (`outbox_table`)
and writes events with `record_event`, which adds the row to the caller's session: the row
commits or rolls back with the change (the service layer flushes, the request boundary commits).
The relay (services.common.relay) publishes committed rows; a commit that carried an event wakes
it at once through `session.info` (see `outbox_session_info`), so no poll interval sits on the
critical path.

The envelope is CloudEvents 1.0 in structured JSON mode, built with the official SDK. What the
delivery check needs but a subscriber may never see (the reach attributes) is stored beside the
envelope and travels in a message header, never in the envelope.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    event,
    insert,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, object_session

from services.common.types import UtcDateTime, utcnow

TABLE_NAME = "uitgaande_gebeurtenis"
SOURCE_PREFIX = "urn:nld:weerbaarbestuur:"
TYPE_PREFIX = "nl.weerbaarbestuur."
SUBJECT_PREFIX = "weerbaar."

# Keys in `Session.info` (set once per sessionmaker by the app, flagged per session here).
PUBLIC_BASE_URL_KEY = "outbox.public_base_url"
WAKEUP_KEY = "outbox.wakeup"
NOTIFY_KEY = "outbox.notify"
_PENDING_KEY = "outbox.pending"
_QUEUE_KEY = "outbox.queue"

_FORMAT = JSONFormat()


def outbox_table(metadata: MetaData) -> Table:
    """The service's outbox on its own metadata and schema (one per service)."""
    return Table(
        TABLE_NAME,
        metadata,
        # Publish order: an integer that autoincrements on both databases.
        Column(
            "seq",
            BigInteger().with_variant(Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        Column("event_id", Uuid(), nullable=False, unique=True),
        Column("subject", String(200), nullable=False),
        # The exact CloudEvent bytes that are published (UTF-8 JSON).
        Column("envelope", Text(), nullable=False),
        # Compact JSON of the reach attributes: the `Weerbaar-Bereik` header, never the body.
        Column("reach", Text(), nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("published_at", UtcDateTime(), nullable=True),
        # Serves both the relay's "unpublished, oldest first" and the pruning of old rows.
        Index(f"ix_{TABLE_NAME}_published_at_seq", "published_at", "seq"),
    )


@dataclass(frozen=True)
class RecordedEvent:
    id: uuid.UUID
    subject: str
    envelope: dict[str, Any]


def outbox_session_info(
    *, public_base_url: str, wakeup: Callable[[], None] | None = None, notify: bool = False
) -> dict[str, Any]:
    """What a service's sessionmaker carries so `record_event` can build `dataref` and wake.

    `wakeup` wakes a relay in this process; `notify` sends a PostgreSQL NOTIFY with each
    commit that wrote events, for a relay in another process (`python -m … relay`)."""
    info: dict[str, Any] = {
        PUBLIC_BASE_URL_KEY: public_base_url.rstrip("/"),
        NOTIFY_KEY: notify,
    }
    if wakeup is not None:
        info[WAKEUP_KEY] = wakeup
    return info


SessionLike = AsyncSession | Session


def _json_value(value: Any) -> Any:
    """Times as RFC 3339 in UTC (`Z`), dates as ISO 8601; the rest as JSON has it."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def session_of(instance: object) -> Session:
    """The session an ORM object belongs to, for sync rules that were handed no session."""
    session = object_session(instance)
    if session is None:
        raise RuntimeError("object is not in a session: its event would be lost")
    return session


@dataclass(frozen=True)
class NewEvent:
    """One event for `record_events`; the fields mean what `record_event`'s arguments mean."""

    type: str
    subject: str
    path: str
    data: Mapping[str, Any]
    reach: Mapping[str, Any]
    time: datetime | None = None


def record_event(
    session: SessionLike,
    *,
    table: Table,
    service: str,
    type: str,
    subject: str,
    path: str,
    data: Mapping[str, Any],
    reach: Mapping[str, Any],
    time: datetime | None = None,
) -> RecordedEvent:
    """Add one event to the caller's transaction.

    `type` is the short type (`melding-aangemaakt`); `path` the resource's path at the gateway
    (`/api/meldingen/v1/meldingen/<id>`), made absolute with the public base URL.
    """
    (recorded,) = record_events(
        session,
        [NewEvent(type=type, subject=subject, path=path, data=data, reach=reach, time=time)],
        table=table,
        service=service,
    )
    return recorded


def record_events(
    session: SessionLike,
    events: Sequence[NewEvent],
    *,
    table: Table,
    service: str,
) -> list[RecordedEvent]:
    """Add many events to the caller's transaction, in the order given (their publish order).

    Their rows are written together at the next flush or commit, one multi-row INSERT per
    table instead of one statement per event (a scheduler run that writes hundreds)."""
    base = session.info.get(PUBLIC_BASE_URL_KEY)
    if not isinstance(base, str):
        raise RuntimeError("session has no outbox info: create it through the service's factory")
    if not events:
        return []
    now = utcnow()
    queue = session.info.setdefault(_QUEUE_KEY, [])
    recorded = []
    for new in events:
        event_id = uuid.uuid4()
        cloud_event = CloudEvent(
            {
                "specversion": "1.0",
                "id": str(event_id),
                "source": SOURCE_PREFIX + service,
                "type": f"{TYPE_PREFIX}{service}.{new.type}",
                "time": (new.time or now).astimezone(UTC),
                "subject": new.subject,
                "datacontenttype": "application/json",
                "dataref": base + new.path,
            },
            {key: _json_value(value) for key, value in new.data.items()},
        )
        envelope = _FORMAT.write(cloud_event).decode("utf-8")
        nats_subject = f"{SUBJECT_PREFIX}{service}.{new.type}"
        # Queued, not executed: service functions that change state may be sync, and the row is
        # written at the next flush (or at commit), inside the change's own transaction.
        queue.append(
            (
                table,
                {
                    "event_id": event_id,
                    "subject": nats_subject,
                    "envelope": envelope,
                    "reach": json.dumps(dict(new.reach), separators=(",", ":"), sort_keys=True),
                    "created_at": now,
                    "published_at": None,
                },
            )
        )
        recorded.append(RecordedEvent(event_id, nats_subject, json.loads(envelope)))
    session.info[_PENDING_KEY] = True
    return recorded


def _write_queued(session: Session) -> None:
    queued = session.info.pop(_QUEUE_KEY, None)
    if not queued:
        return
    connection = session.connection()
    # One executemany per table, rows in the order recorded (`seq` is the publish order).
    per_table: dict[Table, list[dict[str, Any]]] = {}
    for table, values in queued:
        per_table.setdefault(table, []).append(values)
    channels = set()
    for table, rows in per_table.items():
        # One row (a request's event) as a plain execute; more as one executemany.
        connection.execute(insert(table), rows[0] if len(rows) == 1 else rows)
        channels.add(notify_channel(table))
    if session.info.get(NOTIFY_KEY) and connection.dialect.name == "postgresql":
        # Transactional: delivered at commit, dropped on rollback. Wakes a relay that runs
        # apart (`python -m services.<svc> relay`) at once.
        for channel in sorted(channels):
            connection.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})


def notify_channel(table: Table) -> str:
    """The PostgreSQL NOTIFY channel of one service's outbox."""
    return f"weerbaar_outbox_{table.schema or 'public'}"


@event.listens_for(Session, "before_flush")
def _write_at_flush(session: Session, _context: Any, _instances: Any) -> None:
    _write_queued(session)


@event.listens_for(Session, "before_commit")
def _write_at_commit(session: Session) -> None:
    # A flush with nothing else dirty never reaches before_flush: write what is left here.
    _write_queued(session)


@event.listens_for(Session, "after_commit")
def _wake_relay(session: Session) -> None:
    if not session.info.pop(_PENDING_KEY, False):
        return
    wakeup = session.info.get(WAKEUP_KEY)
    if wakeup is not None:
        wakeup()


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
    session.info.pop(_QUEUE_KEY, None)
