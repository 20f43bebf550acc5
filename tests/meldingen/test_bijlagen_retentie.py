"""Retention erases attachments with their melding; key rotation re-encrypts their content."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from services.common.crypto import generate_key_spec
from services.common.db import DatabaseTarget
from services.meldingen.retentie.service import run_retention, run_rotation
from tests.conftest import TEST_KEYS, DevIdp
from tests.meldingen.bijlagen import MIB, pdf, png_of_size, upload
from tests.meldingen.db import query
from tests.meldingen.test_retentie import (  # noqa: F401 (fixtures)
    BASE,
    ORG,
    _backdate,
    _full_case,
    _key,
    _settings,
    app_on,
    target,
)


def _rows(db: DatabaseTarget, melding_id: str) -> list[Any]:
    return query(
        db,
        "SELECT id, bestandsnaam_versleuteld, oorspronkelijke_naam_versleuteld,"
        " omschrijving_versleuteld, toegevoegd_door, sleutel, delen, sha256, grootte,"
        " mediatype, inhoud_gewist_op FROM meldingen.bijlage WHERE melding_id = :id",
        id=_key(db, melding_id),
    )


def _segments(db: DatabaseTarget) -> list[Any]:
    return query(db, "SELECT bijlage_id, volgnummer, data FROM meldingen.bijlage_deel")


def test_retention_erases_attachments_with_their_melding_and_keeps_the_hash(
    target: DatabaseTarget,  # noqa: F811
    devidp: DevIdp,
    app_on: Callable[..., TestClient],  # noqa: F811
) -> None:
    client = app_on(target)
    melder = devidp.headers(f"melder-{uuid.uuid4().hex[:8]}", ["melder"], ORG)
    handler = devidp.headers(f"h-{uuid.uuid4().hex[:8]}", ["behandelaar"], ORG)
    oud = _full_case(client, melder, handler, aangifte=None)
    recent = _full_case(client, melder, handler, aangifte=None)
    upload(client, f"{BASE}/meldingen/{oud}/bijlagen", handler, "brief.pdf", pdf())
    _backdate(target, oud, 731)
    before = {row["id"]: row for row in _rows(target, oud)}
    assert len(before) == 2
    assert len(_segments(target)) == 3

    verslag = asyncio.run(run_retention(_settings(target, devidp), target))
    assert verslag.gewist["bijlagen"] == 2
    assert verslag.gewist["bijlagedelen"] == 2
    for row in _rows(target, oud):
        for column in (
            "bestandsnaam_versleuteld",
            "oorspronkelijke_naam_versleuteld",
            "omschrijving_versleuteld",
            "toegevoegd_door",
            "sleutel",
        ):
            assert row[column] is None, column
        assert row["delen"] == 0
        assert row["inhoud_gewist_op"] is not None
        assert row["sha256"] == before[row["id"]]["sha256"], "the hash outlives the content"
        assert row["grootte"] == before[row["id"]]["grootte"]
    assert len(_segments(target)) == 1, "only the recent melding's attachment keeps content"
    [kept] = _rows(target, recent)
    assert kept["sleutel"] is not None

    listed = client.get(f"{BASE}/meldingen/{oud}/bijlagen", headers=handler).json()["results"]
    assert {b["bestandsnaam"] for b in listed} == {None}
    for item in listed:
        gone = client.get(f"{BASE}/meldingen/{oud}/bijlagen/{item['id']}/inhoud", headers=handler)
        assert gone.status_code == 409
        assert gone.json()["type"] == "urn:weerbaar:probleem:bijlage-gewist"
    again = asyncio.run(run_retention(_settings(target, devidp), target))
    assert again.gewist["bijlagen"] == 0
    assert again.gewist["bijlagedelen"] == 0


def test_rotation_re_encrypts_attachment_content_segment_by_segment(
    target: DatabaseTarget,  # noqa: F811
    devidp: DevIdp,
    app_on: Callable[..., TestClient],  # noqa: F811
) -> None:
    client = app_on(target)
    melder = devidp.headers(f"melder-{uuid.uuid4().hex[:8]}", ["melder"], ORG)
    mid = client.post(
        f"{BASE}/meldingen",
        json={
            "gedragstype": "instrumentele_agressie",
            "vormen": ["online", "doxing"],
            "omschrijving": "Mijn adres staat online.",
            "datumVoorval": "2026-11-20T21:30:00+01:00",
            "functie": "burgemeester",
        },
        headers=melder,
    ).json()["id"]
    data = png_of_size(2 * MIB + 12345)  # several segments, the last one short
    created = upload(client, f"{BASE}/meldingen/{mid}/bijlagen", melder, "groot.png", data)
    assert created.status_code == 201, created.text
    bijlage_id = created.json()["id"]
    before = {(r["bijlage_id"], r["volgnummer"]): bytes(r["data"]) for r in _segments(target)}
    assert len(before) == 9

    new_ring = generate_key_spec("test-3") + "," + TEST_KEYS
    counts = asyncio.run(run_rotation(_settings(target, devidp, new_ring), target))
    assert counts["bijlage.inhoud"] == 9
    after = {(r["bijlage_id"], r["volgnummer"]): bytes(r["data"]) for r in _segments(target)}
    assert after.keys() == before.keys()
    assert all(after[k] != before[k] for k in before), "every segment is sealed anew"
    [row] = _rows(target, mid)
    assert row["sleutel"] == "test-3"

    # Readable with the new ring, byte for byte; and no longer with the old ring alone.
    rotated = app_on(target, new_ring)
    download = rotated.get(f"{BASE}/meldingen/{mid}/bijlagen/{bijlage_id}/inhoud", headers=melder)
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == created.json()["sha256"]
    again = asyncio.run(run_rotation(_settings(target, devidp, new_ring), target))
    assert again["bijlage.inhoud"] == 0
