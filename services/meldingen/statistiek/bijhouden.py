"""Keep the rollups in the transaction of every create, status change and priority change.

melding.service calls `nieuwe_melding` when it creates a melding and `voor_wijziging` before
it changes one. Those calls are synchronous (status and priority changes are), so they only
note the melding and its cells as they were; at the session's next flush (the commit flushes
too) one upsert over all changed cells moves each noted melding from its old cells to its
new ones: decrement the old cell, increment the new, in the same transaction as the change.
On PostgreSQL new record keys go in the same statement: every statement of a create is a
round trip inside the section the gap-free kenmerk counter serialises.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, object_session

from services.meldingen.melding.models import Melding
from services.meldingen.statistiek import rollup
from services.meldingen.statistiek.models import RecordSleutel

_KEY = "meldingen.statistiek.bijhouden"


@dataclass
class _Gevolgd:
    melding: Melding
    geteld: rollup.Feiten | None  # what the rollups hold for it now (None: not counted yet)
    sleutel: int | None
    sleutel_opslaan: bool = False  # a new key, written with the cells (after the melding)


def _gevolgd(session: Session) -> dict[uuid.UUID, _Gevolgd]:
    registry: dict[uuid.UUID, _Gevolgd] = session.info.setdefault(_KEY, {})
    return registry


def _session_van(melding: Melding) -> Session:
    session = object_session(melding)
    if session is None:
        raise RuntimeError("statistiek: the melding belongs to no session")
    return session


def nieuwe_melding(melding: Melding) -> None:
    """Call after adding a new melding to the session: its record key (from `secrets`), and
    it is counted at the next flush."""
    session = _session_van(melding)
    sleutel = secrets.randbelow(256)
    _gevolgd(session)[melding.id] = _Gevolgd(melding, None, sleutel, sleutel_opslaan=True)


def voor_wijziging(melding: Melding) -> None:
    """Call before changing a melding: its cells now, so the flush can move it to the new ones."""
    registry = _gevolgd(_session_van(melding))
    if melding.id not in registry:
        registry[melding.id] = _Gevolgd(melding, rollup.Feiten.van(melding), None)


def _sleutel(session: Session, gevolgd: _Gevolgd) -> int:
    if gevolgd.sleutel is None:
        found = session.connection().scalar(
            select(RecordSleutel.__table__.c.sleutel).where(  # type: ignore[attr-defined]
                RecordSleutel.__table__.c.melding_id == gevolgd.melding.id  # type: ignore[attr-defined]
            )
        )
        if found is None:
            # A melding from before its key existed: a key now; it was not counted before.
            found = secrets.randbelow(256)
            gevolgd.sleutel_opslaan = True
            gevolgd.geteld = None
        gevolgd.sleutel = int(found)
    return gevolgd.sleutel


def _na_flush(session: Session, _context: Any) -> None:
    registry: dict[uuid.UUID, _Gevolgd] | None = session.info.get(_KEY)
    if not registry:
        return
    delta: dict[rollup.CelSleutel, tuple[int, int]] = {}

    def add(feiten: rollup.Feiten, teken: int, sleutel: int) -> None:
        for cel in rollup.cellen(feiten):
            n, som = delta.get(cel, (0, 0))
            delta[cel] = (n + teken, som + teken * sleutel)

    for gevolgd in registry.values():
        nu = rollup.Feiten.van(gevolgd.melding)
        if nu == gevolgd.geteld:
            continue
        sleutel = _sleutel(session, gevolgd)
        if gevolgd.geteld is not None:
            add(gevolgd.geteld, -1, sleutel)
        add(nu, 1, sleutel)
        gevolgd.geteld = nu
    sleutels = [
        (g.melding.id, g.sleutel)
        for g in registry.values()
        if g.sleutel_opslaan and g.sleutel is not None
    ]
    for gevolgd in registry.values():
        gevolgd.sleutel_opslaan = False
    connection = session.connection()
    for statement, params in rollup.schrijf(connection.dialect.name, delta, sleutels):
        connection.execute(statement, params)


def _vergeet(session: Session, *_args: Any) -> None:
    session.info.pop(_KEY, None)


# Every session: a session that noted nothing pays one dictionary lookup per flush. After the
# flush, so a new melding's row exists when its key (a foreign key to it) is written.
event.listen(Session, "after_flush", _na_flush)
event.listen(Session, "after_commit", _vergeet)
event.listen(Session, "after_rollback", _vergeet)
