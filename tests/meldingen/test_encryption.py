"""Free text is encrypted at rest, bound to its row, and keys rotate without losing old data.

The raw rows are read and tampered with directly in the database (SQLAlchemy on the
backend's target), then read back over HTTP: tampering must be an error, never garbage.
"""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.sql import Executable
from sqlmodel import col

from services.common.crypto import DecryptionError, KeyRing, generate_key_spec
from services.common.db import DatabaseTarget, create_engine_for
from services.meldingen.app import create_app
from services.meldingen.config import MeldingenSettings
from services.meldingen.melding.models import IdempotentVerzoek, Melding, Statuswijziging
from services.meldingen.notitie.models import Notitie
from tests.conftest import TEST_KEYS, Backend, DevIdp
from tests.meldingen.conftest import melding_body

MELDINGEN = "/api/meldingen/v1/meldingen"
SECRET = "Geheim-7f3a: de dader woont aan de Prinsengracht 263"


def run(target: DatabaseTarget, statement: Executable) -> list[Any]:
    """One statement straight on the database, committed; returns the rows it gave."""

    async def go() -> list[Any]:
        engine = create_engine_for(target, pool_size=1)
        try:
            async with engine.begin() as connection:
                result = await connection.execute(statement)
                return list(result.all()) if result.returns_rows else []
        finally:
            await engine.dispose()

    return asyncio.run(go())


def raw_omschrijving(target: DatabaseTarget, melding_id: str) -> str:
    rows = run(
        target,
        select(Melding.omschrijving_versleuteld).where(col(Melding.id) == uuid.UUID(melding_id)),
    )
    return str(rows[0][0])


def tampered(ciphertext: str) -> str:
    """The same value with one bit of the sealed payload flipped."""
    version, kid, payload = ciphertext.split(".", 2)
    raw = bytearray(base64.urlsafe_b64decode(payload))
    raw[-1] ^= 0x01
    return f"{version}.{kid}.{base64.urlsafe_b64encode(bytes(raw)).decode()}"


class Apps:
    """Extra apps on the session's database: one that answers 500s instead of raising, and
    one whose key ring has a new first key."""

    def __init__(self, backend: Backend, devidp: DevIdp) -> None:
        self.backend = backend
        self.devidp = devidp
        self.target = backend.migrate("meldingen")
        self._clients: list[TestClient] = []
        self.new_ring = generate_key_spec("nieuw-3") + "," + TEST_KEYS

    def client(self, data_keys: str = TEST_KEYS) -> TestClient:
        kwargs = {**self.backend.settings_kwargs(), "data_keys": data_keys}
        settings = MeldingenSettings(**kwargs, oidc_issuer=self.devidp.issuer, env="test")
        client = TestClient(create_app(settings, self.target), raise_server_exceptions=False)
        client.__enter__()
        self._clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def apps(backend: Backend, devidp: DevIdp) -> Iterator[Apps]:
    made = Apps(backend, devidp)
    yield made
    made.close()


@pytest.fixture
def melder(devidp: DevIdp, unique_sub: Callable[[str], str]) -> dict[str, str]:
    return devidp.headers(unique_sub("melder"), ["melder"], "GM0363")


@pytest.fixture
def handler(devidp: DevIdp, unique_sub: Callable[[str], str]) -> dict[str, str]:
    return devidp.headers(unique_sub("behandelaar"), ["behandelaar"], "GM0363")


def report(client: TestClient, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = client.post(MELDINGEN, json=melding_body(**fields), headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


# ---- at rest ---------------------------------------------------------------------------------


def test_raw_row_holds_no_plaintext_omschrijving(
    client: TestClient, backend: Backend, melder: dict[str, str]
) -> None:
    melding = report(client, melder, omschrijving=SECRET)
    target = backend.target("meldingen")
    row = run(target, select(Melding).where(col(Melding.id) == uuid.UUID(melding["id"])))
    assert SECRET not in repr(row)
    assert "Prinsengracht" not in repr(row)
    stored = raw_omschrijving(target, melding["id"])
    assert stored.startswith("v1.test-2."), "the first key of the ring encrypts, by its id"
    assert client.get(f"{MELDINGEN}/{melding['id']}", headers=melder).json()["omschrijving"] == (
        SECRET
    )


def test_raw_notes_and_status_explanations_hold_no_plaintext(
    client: TestClient, backend: Backend, melder: dict[str, str], handler: dict[str, str]
) -> None:
    melding = report(client, melder)
    url = f"{MELDINGEN}/{melding['id']}"
    note = client.post(f"{url}/notities", json={"tekst": SECRET}, headers=handler)
    assert note.status_code == 201
    moved = client.post(
        f"{url}/statuswijzigingen",
        json={"status": "in_behandeling", "toelichting": SECRET},
        headers=handler,
    )
    assert moved.status_code == 201
    target = backend.target("meldingen")
    melding_id = uuid.UUID(melding["id"])
    notes = run(target, select(Notitie).where(col(Notitie.melding_id) == melding_id))
    changes = run(
        target,
        select(Statuswijziging).where(col(Statuswijziging.melding_id) == melding_id),
    )
    assert len(notes) == 1
    assert len(changes) == 1
    assert SECRET not in repr(notes)
    assert SECRET not in repr(changes)
    assert "Prinsengracht" not in repr(notes) + repr(changes)


def test_stored_idempotent_answer_holds_no_plaintext(
    client: TestClient, backend: Backend, melder: dict[str, str]
) -> None:
    key = f"versleuteld-{uuid.uuid4().hex[:8]}"
    response = client.post(
        MELDINGEN,
        json=melding_body(omschrijving=SECRET),
        headers={**melder, "Idempotency-Key": key},
    )
    assert response.status_code == 201
    stored = run(
        backend.target("meldingen"),
        select(IdempotentVerzoek).where(col(IdempotentVerzoek.sleutel) == key),
    )
    assert len(stored) == 1
    assert "Prinsengracht" not in repr(stored)


# ---- tampering -------------------------------------------------------------------------------


def assert_server_error(response: Any) -> None:
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    text = response.text
    assert "Traceback" not in text
    assert "DecryptionError" not in text
    assert "Prinsengracht" not in text


def test_tampered_ciphertext_is_an_error_not_garbage(
    apps: Apps, client: TestClient, melder: dict[str, str]
) -> None:
    melding = report(client, melder, omschrijving=SECRET)
    target = apps.target
    original = raw_omschrijving(target, melding["id"])
    run(
        target,
        update(Melding)
        .where(col(Melding.id) == uuid.UUID(melding["id"]))
        .values(omschrijving_versleuteld=tampered(original)),
    )
    reader = apps.client()
    assert_server_error(reader.get(f"{MELDINGEN}/{melding['id']}", headers=melder))
    assert_server_error(reader.get(MELDINGEN, headers=melder))


def test_ciphertext_moved_to_another_row_fails(
    apps: Apps, client: TestClient, melder: dict[str, str]
) -> None:
    """The row id is the associated data: a valid ciphertext is useless anywhere else."""
    source = report(client, melder, omschrijving=SECRET)
    victim = report(client, melder, omschrijving="Een ander verhaal.")
    target = apps.target
    run(
        target,
        update(Melding)
        .where(col(Melding.id) == uuid.UUID(victim["id"]))
        .values(omschrijving_versleuteld=raw_omschrijving(target, source["id"])),
    )
    reader = apps.client()
    assert_server_error(reader.get(f"{MELDINGEN}/{victim['id']}", headers=melder))
    source_again = reader.get(f"{MELDINGEN}/{source['id']}", headers=melder)
    assert source_again.json()["omschrijving"] == SECRET


def test_tampered_note_is_an_error_not_garbage(
    apps: Apps, client: TestClient, melder: dict[str, str]
) -> None:
    melding = report(client, melder)
    notes = f"{MELDINGEN}/{melding['id']}/notities"
    assert client.post(notes, json={"tekst": SECRET}, headers=melder).status_code == 201
    melding_id = uuid.UUID(melding["id"])
    [(stored,)] = run(
        apps.target,
        select(Notitie.tekst_versleuteld).where(col(Notitie.melding_id) == melding_id),
    )
    run(
        apps.target,
        update(Notitie)
        .where(col(Notitie.melding_id) == melding_id)
        .values(tekst_versleuteld=tampered(stored)),
    )
    assert_server_error(apps.client().get(notes, headers=melder))


# ---- rotation --------------------------------------------------------------------------------


def test_new_first_key_reads_old_values_and_encrypts_with_the_new_kid(
    apps: Apps, client: TestClient, melder: dict[str, str]
) -> None:
    old = report(client, melder, omschrijving="Geschreven met de oude sleutel.")
    rotated = apps.client(apps.new_ring)

    read = rotated.get(f"{MELDINGEN}/{old['id']}", headers=melder)
    assert read.status_code == 200
    assert read.json()["omschrijving"] == "Geschreven met de oude sleutel."

    new = report(rotated, melder, omschrijving="Geschreven met de nieuwe sleutel.")
    assert raw_omschrijving(apps.target, new["id"]).startswith("v1.nieuw-3.")
    assert raw_omschrijving(apps.target, old["id"]).startswith("v1.test-2.")
    # an app that never got the new key cannot read it, and says so
    assert_server_error(apps.client().get(f"{MELDINGEN}/{new['id']}", headers=melder))


# ---- the key ring itself ---------------------------------------------------------------------


@pytest.fixture
def ring() -> KeyRing:
    return KeyRing.parse(generate_key_spec("k2") + "," + generate_key_spec("k1"))


def test_key_ring_round_trips_and_never_repeats_a_ciphertext(ring: KeyRing) -> None:
    first = ring.encrypt(SECRET, aad="rij-1")
    second = ring.encrypt(SECRET, aad="rij-1")
    assert first != second, "a fresh nonce every time"
    assert SECRET not in first
    assert KeyRing.key_id_of(first) == "k2"
    assert ring.decrypt(first, aad="rij-1") == SECRET


def test_key_ring_refuses_a_tampered_value(ring: KeyRing) -> None:
    with pytest.raises(DecryptionError):
        ring.decrypt(tampered(ring.encrypt(SECRET, aad="rij-1")), aad="rij-1")


def test_key_ring_refuses_the_wrong_associated_data(ring: KeyRing) -> None:
    sealed = ring.encrypt(SECRET, aad="meldingen:melding:1:omschrijving")
    with pytest.raises(DecryptionError):
        ring.decrypt(sealed, aad="meldingen:melding:2:omschrijving")


@pytest.mark.parametrize(
    "value",
    ["platte tekst", "v1.k2.", "v1.k2.!!!", "v2.k2.AAAAAAAAAAAAAAAAAAAAAAAA", "v1.onbekend.AAAA"],
)
def test_key_ring_refuses_what_is_not_its_ciphertext(ring: KeyRing, value: str) -> None:
    with pytest.raises(DecryptionError):
        ring.decrypt(value, aad="rij-1")


def test_key_ring_with_a_new_first_key_decrypts_old_values_and_encrypts_with_the_new_kid(
    ring: KeyRing,
) -> None:
    old_ring = KeyRing(ring.keys[1:])  # only k1
    old_value = old_ring.encrypt(SECRET, aad="rij-1")
    assert KeyRing.key_id_of(old_value) == "k1"

    assert ring.current_kid == "k2"
    assert ring.decrypt(old_value, aad="rij-1") == SECRET
    new_value = ring.encrypt(SECRET, aad="rij-1")
    assert KeyRing.key_id_of(new_value) == "k2"
    with pytest.raises(DecryptionError):
        old_ring.decrypt(new_value, aad="rij-1")


def test_key_ring_without_the_old_key_cannot_read_old_values(ring: KeyRing) -> None:
    old_value = ring.encrypt(SECRET, aad="rij-1")
    retired = KeyRing.parse(generate_key_spec("k3"))
    with pytest.raises(DecryptionError):
        retired.decrypt(old_value, aad="rij-1")
