"""Evidence attachments without a virus scanner (`niet_gescand`), on both databases.

Round trips byte for byte with the hash, refusals (415, 413, 409, 400), what the database
holds, visibility and the access log. ClamAV: test_bijlagen_clamav.py; through the gateway
and at the socket: test_bijlagen_processes.py.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.meldingen.bijlage.bestandsnaam import content_disposition, opgeschoond
from tests.conftest import Backend, DevIdp
from tests.meldingen.bijlagen import (
    ACCEPTED,
    MARKER,
    MIB,
    REFUSED,
    content_type_of,
    multipart_body,
    png,
    png_of_size,
    results,
    streamed_multipart,
    text,
    upload,
)
from tests.meldingen.conftest import BASE, Scene, report
from tests.meldingen.db import query


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    return body


def stored_count(backend: Backend, melding_id: str) -> int:
    key: Any = uuid.UUID(melding_id).hex if not backend.is_postgres else uuid.UUID(melding_id)
    rows = query(
        backend, "SELECT count(*) AS n FROM meldingen.bijlage WHERE melding_id = :id", id=key
    )
    return int(rows[0]["n"])


def deel_count(backend: Backend) -> int:
    return int(query(backend, "SELECT count(*) AS n FROM meldingen.bijlage_deel")[0]["n"])


@pytest.mark.parametrize("kind", list(ACCEPTED))
def test_each_accepted_type_round_trips_byte_for_byte_with_its_hash(
    client: TestClient, scene: Scene, kind: str
) -> None:
    name, data, media_type = ACCEPTED[kind]
    created = upload(
        client, scene.url("/bijlagen"), scene.melder, name, data, omschrijving="Bewijs"
    )
    assert created.status_code == 201, created.text
    body = created.json()
    sha = hashlib.sha256(data).hexdigest()
    assert body["sha256"] == sha
    assert body["mediatype"] == media_type
    assert body["grootte"] == len(data)
    assert body["bestandsnaam"] == name
    assert body["scanstatus"] == "niet_gescand"
    assert body["rol"] == "melder"
    assert body["omschrijving"] == "Bewijs"
    assert created.headers["location"].endswith(f"/bijlagen/{body['id']}")

    download = client.get(scene.url(f"/bijlagen/{body['id']}/inhoud"), headers=scene.handler)
    assert download.status_code == 200, download.text
    assert download.content == data
    assert hashlib.sha256(download.content).hexdigest() == sha
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert download.headers["repr-digest"] == f"sha-256=:{digest}:"
    assert download.headers["content-type"].split(";")[0] == media_type
    assert download.headers["content-disposition"] == content_disposition(name)
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in download.headers["content-security-policy"].split(";")[0]
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["cache-control"] == "no-store"

    meta = client.get(scene.url(f"/bijlagen/{body['id']}"), headers=scene.handler).json()
    assert meta["sha256"] == sha
    assert meta["oorspronkelijkeBestandsnaam"] == name
    assert "oorspronkelijkeBestandsnaam" not in body  # the melder's view


def test_a_file_of_exactly_20_mib_is_accepted(client: TestClient, scene: Scene) -> None:
    data = png_of_size(20 * MIB)
    created = upload(client, scene.url("/bijlagen"), scene.melder, "groot.png", data)
    assert created.status_code == 201, created.text
    assert created.json()["sha256"] == hashlib.sha256(data).hexdigest()
    download = client.get(
        scene.url(f"/bijlagen/{created.json()['id']}/inhoud"), headers=scene.melder
    )
    assert hashlib.sha256(download.content).hexdigest() == created.json()["sha256"]


@pytest.mark.parametrize("why", list(REFUSED))
def test_a_file_that_is_not_what_it_claims_is_415_and_never_stored(
    backend: Backend, client: TestClient, scene: Scene, why: str
) -> None:
    name, data = REFUSED[why]
    for declared in ("application/octet-stream", "text/plain", "image/png"):
        refused = upload(
            client, scene.url("/bijlagen"), scene.melder, name, data, declared=declared
        )
        body = problem(refused, 415)
        assert body["type"] == "urn:weerbaar:probleem:bestandstype-niet-toegestaan"
    assert stored_count(backend, scene.id) == 0
    assert results(client.get(scene.url("/bijlagen"), headers=scene.handler)) == []


def test_a_body_that_is_not_multipart_is_415(client: TestClient, scene: Scene) -> None:
    as_json = client.post(scene.url("/bijlagen"), json={"bestand": "x"}, headers=scene.melder)
    problem(as_json, 415)
    raw = client.post(
        scene.url("/bijlagen"), content=png(), headers={**scene.melder, "Content-Type": "image/png"}
    )
    problem(raw, 415)


def test_file_over_20_mib_streamed_chunked_is_413_before_anything_is_stored(
    backend: Backend, client: TestClient, scene: Scene
) -> None:
    before = deel_count(backend)
    response = client.post(
        scene.url("/bijlagen"),
        content=streamed_multipart("groot.png", 20 * MIB + 1),
        headers={**scene.melder, "Content-Type": content_type_of()},
    )
    assert "content-length" not in response.request.headers
    body = problem(response, 413)
    assert body["type"] == "urn:weerbaar:probleem:bijlage-te-groot"
    assert stored_count(backend, scene.id) == 0
    assert deel_count(backend) == before


def test_file_over_20_mib_with_a_lying_content_length_is_413(
    backend: Backend, client: TestClient, scene: Scene
) -> None:
    """The limit counts the bytes that arrive, not what Content-Length promised."""
    before = deel_count(backend)
    response = client.post(
        scene.url("/bijlagen"),
        content=streamed_multipart("groot.png", 20 * MIB + 1),
        headers={**scene.melder, "Content-Type": content_type_of(), "Content-Length": "4096"},
    )
    problem(response, 413)
    assert stored_count(backend, scene.id) == 0
    assert deel_count(backend) == before


def test_a_body_over_the_route_limit_by_content_length_is_413_at_once(
    client: TestClient, scene: Scene
) -> None:
    response = client.post(
        scene.url("/bijlagen"),
        content=b"x" * 16,
        headers={
            **scene.melder,
            "Content-Type": content_type_of(),
            "Content-Length": str(30 * MIB),
        },
    )
    problem(response, 413)


def test_other_routes_keep_the_one_mebibyte_limit(client: TestClient, scene: Scene) -> None:
    big = b'{"tekst": "' + b"x" * (MIB + 10) + b'"}'
    response = client.post(
        scene.url("/notities"),
        content=big,
        headers={**scene.melder, "Content-Type": "application/json"},
    )
    problem(response, 413)


def test_the_21st_attachment_is_409(backend: Backend, client: TestClient, scene: Scene) -> None:
    for number in range(20):
        created = upload(client, scene.url("/bijlagen"), scene.melder, f"s{number}.png", png())
        assert created.status_code == 201, created.text
    refused = upload(client, scene.url("/bijlagen"), scene.handler, "s21.png", png())
    assert problem(refused, 409)["type"] == "urn:weerbaar:probleem:te-veel-bijlagen"
    assert stored_count(backend, scene.id) == 20


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"omschrijving": "x" * 1001}, "omschrijving"),
        ({"zichtbaarVoorMelder": "misschien"}, "zichtbaarVoorMelder"),
        ({"onbekend": "1"}, "onbekend"),
    ],
)
def test_bad_fields_are_400_with_invalid_params(
    backend: Backend, client: TestClient, scene: Scene, body: dict[str, str], name: str
) -> None:
    response = upload(client, scene.url("/bijlagen"), scene.handler, "a.png", png(), **body)
    assert [p["name"] for p in problem(response, 400)["invalidParams"]] == [name]
    assert stored_count(backend, scene.id) == 0


def test_missing_or_empty_file_is_400(client: TestClient, scene: Scene) -> None:
    missing = client.post(
        scene.url("/bijlagen"),
        data={"omschrijving": "x"},
        files={"x": ("", b"")},
        headers=scene.melder,
    )
    assert problem(missing, 400)["invalidParams"]
    empty = upload(client, scene.url("/bijlagen"), scene.melder, "leeg.png", b"")
    assert [p["name"] for p in problem(empty, 400)["invalidParams"]] == ["bestand"]
    broken, content_type = multipart_body("a.png", png())
    cut = client.post(
        scene.url("/bijlagen"),
        content=broken[:-20],
        headers={**scene.melder, "Content-Type": content_type},
    )
    problem(cut, 400)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\wethouder\\Bureaublad\\dreigbrief.pdf", "dreigbrief.pdf"),
        ("foto\u202egnp.jpg", "fotognp.jpg"),
        ("scr\x00een\x1b[31m.png", "screen[31m.png"),
        ('a<b>:"c"|?*.png', "a_b___c____.png"),
        ("   ...verborgen.txt  ", "verborgen.txt"),
        ("x" * 300 + ".pdf", "x" * 96 + ".pdf"),
        ("\u200bzero\u2066width\u2069.txt", "zerowidth.txt"),
    ],
)
def test_file_names_are_sanitised(raw: str, clean: str) -> None:
    assert opgeschoond(raw) == clean
    assert len(opgeschoond(raw)) <= 100


def test_a_rtl_override_cannot_disguise_an_executable(client: TestClient, scene: Scene) -> None:
    # Shown as "screenexe.png" by a naive viewer; really "screen\u202egnp.exe".
    response = upload(client, scene.url("/bijlagen"), scene.melder, "screen\u202egnp.exe", png())
    problem(response, 415)
    stored = upload(client, scene.url("/bijlagen"), scene.melder, "../scr\u202eeen.png", png())
    assert stored.status_code == 201
    assert stored.json()["bestandsnaam"] == "screen.png"
    download = client.get(
        scene.url(f"/bijlagen/{stored.json()['id']}/inhoud"), headers=scene.melder
    )
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"screen.png\"; filename*=UTF-8''screen.png"
    )


def test_raw_database_rows_hold_no_plaintext(
    backend: Backend, client: TestClient, scene: Scene
) -> None:
    ids = []
    for name, data, _ in ACCEPTED.values():
        created = upload(
            client,
            scene.url("/bijlagen"),
            scene.melder,
            f"{MARKER.decode()}-{name}",
            data,
            omschrijving=f"omschrijving {MARKER.decode()}",
        )
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    key = [uuid.UUID(i).hex if not backend.is_postgres else uuid.UUID(i) for i in ids]
    segments = query(backend, "SELECT bijlage_id, data FROM meldingen.bijlage_deel")
    mine = [bytes(row["data"]) for row in segments if row["bijlage_id"] in key]
    assert len(mine) >= len(ids)
    for data in mine:
        assert MARKER not in data
        assert MARKER.hex().encode() not in data
        assert b"PNG" not in data
        assert b"%PDF" not in data
    for row in query(backend, "SELECT * FROM meldingen.bijlage"):
        flat = " ".join(str(value) for value in row.values())
        assert MARKER.decode() not in flat


def test_a_handlers_hidden_attachment_is_invisible_to_the_melder(
    client: TestClient, scene: Scene
) -> None:
    hidden = upload(
        client,
        scene.url("/bijlagen"),
        scene.handler,
        "intern.pdf",
        ACCEPTED["pdf"][1],
        zichtbaarVoorMelder="false",
    ).json()
    shared = upload(client, scene.url("/bijlagen"), scene.handler, "voor-u.txt", text()).json()
    own = upload(
        client, scene.url("/bijlagen"), scene.melder, "mijn.png", png(), zichtbaarVoorMelder="false"
    ).json()
    assert hidden["zichtbaarVoorMelder"] is False
    assert shared["zichtbaarVoorMelder"] is True
    assert own["zichtbaarVoorMelder"] is True, "the melder's own attachment is always visible"
    assert {b["id"] for b in results(client.get(scene.url("/bijlagen"), headers=scene.melder))} == {
        shared["id"],
        own["id"],
    }
    assert len(results(client.get(scene.url("/bijlagen"), headers=scene.handler))) == 3
    for suffix in ("", "/inhoud"):
        url = scene.url(f"/bijlagen/{hidden['id']}{suffix}")
        problem(client.get(url, headers=scene.melder), 404)
        assert client.get(url, headers=scene.handler).status_code == 200


def test_an_attachment_of_another_melding_is_404(
    client: TestClient, scene: Scene, devidp: DevIdp
) -> None:
    created = upload(client, scene.url("/bijlagen"), scene.melder, "a.png", png()).json()
    other = report(client, scene.melder)
    for suffix in ("", "/inhoud"):
        problem(
            client.get(
                f"{BASE}/meldingen/{other}/bijlagen/{created['id']}{suffix}", headers=scene.melder
            ),
            404,
        )
        problem(
            client.get(scene.url(f"/bijlagen/{uuid.uuid4()}{suffix}"), headers=scene.melder), 404
        )
        problem(client.get(scene.url(f"/bijlagen/niet-een-id{suffix}"), headers=scene.melder), 404)


def test_the_access_log_shows_every_download_and_the_addition(
    client: TestClient, scene: Scene
) -> None:
    created = upload(client, scene.url("/bijlagen"), scene.handler, "a.png", png()).json()
    for _ in range(3):
        assert (
            client.get(
                scene.url(f"/bijlagen/{created['id']}/inhoud"), headers=scene.handler
            ).status_code
            == 200
        )
    assert (
        client.get(scene.url(f"/bijlagen/{created['id']}/inhoud"), headers=scene.melder).status_code
        == 200
    )
    log = results(client.get(scene.url("/inzages"), params={"pageSize": 100}, headers=scene.melder))
    acties = [entry["actie"] for entry in log]
    assert acties.count("bijlage_bekeken") == 3, "the melder's own downloads are not logged"
    assert acties.count("bijlage_toegevoegd") == 1
    assert all(e["rol"] == "behandelaar" for e in log if e["actie"].startswith("bijlage_"))


def test_mijn_gegevens_lists_the_attachments_with_their_hash(
    client: TestClient, scene: Scene
) -> None:
    created = upload(client, scene.url("/bijlagen"), scene.melder, "a.png", png()).json()
    upload(
        client,
        scene.url("/bijlagen"),
        scene.handler,
        "intern.png",
        png(),
        zichtbaarVoorMelder="false",
    )
    mine = client.get(f"{BASE}/mijn-gegevens", headers=scene.melder).json()
    [melding] = [m for m in mine["meldingen"] if m["id"] == scene.id]
    assert [b["id"] for b in melding["bijlagen"]] == [created["id"]]
    assert melding["bijlagen"][0]["sha256"] == hashlib.sha256(png()).hexdigest()


def test_the_gateway_and_the_service_agree_on_the_upload_limit() -> None:
    from gateway.config import GatewaySettings
    from services.meldingen.bijlage.ontvangst import MAX_BODY
    from services.meldingen.bijlage.startup import BIJLAGE_BODY

    gateway = GatewaySettings()
    upload_path = f"{BASE}/meldingen/{uuid.uuid4()}/bijlagen"
    assert gateway.max_body_for("POST", upload_path) == MAX_BODY == BIJLAGE_BODY.max_bytes
    assert BIJLAGE_BODY.matches("POST", upload_path)
    for method, path in (
        ("GET", upload_path),
        ("POST", f"{BASE}/meldingen/{uuid.uuid4()}/notities"),
        ("POST", f"{upload_path}/x"),
        ("POST", f"{BASE}/meldingen"),
    ):
        assert gateway.max_body_for(method, path) == MIB, (method, path)
        assert not BIJLAGE_BODY.matches(method, path)
