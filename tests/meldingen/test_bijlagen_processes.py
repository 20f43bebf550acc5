"""Attachments through a real gateway process in front of a real meldingen process.

The size limit holds at both: the gateway refuses a body over the route's own limit before
forwarding it, the service refuses a file over 20 MiB the moment it passes it, and a client
whose Content-Length lies at the socket gets no more stored than it declared (nothing).
"""

from __future__ import annotations

import base64
import hashlib
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.conftest import Backend, DevIdp
from tests.e2e.gateway_processes import start_gateway
from tests.meldingen.bijlagen import (
    MIB,
    content_type_of,
    multipart_body,
    png_of_size,
    streamed_multipart,
)
from tests.meldingen.conftest import BASE, melding_body
from tests.meldingen.db import query
from tests.support.orgs import next_org
from tests.support.processes import RunningProcess, start_process

pytestmark = pytest.mark.e2e


@dataclass
class Stack:
    gateway: RunningProcess
    meldingen: RunningProcess
    backend: Backend


@pytest.fixture(scope="module")
def stack(
    backend: Backend, devidp: DevIdp, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    logs = tmp_path_factory.mktemp(f"bijlagen-{backend.name}")
    backend.migrate("meldingen")
    env = {**backend.env(), "WEERBAAR_OIDC_ISSUER": devidp.issuer, "WEERBAAR_ENV": "test"}
    meldingen = start_process("meldingen", ["services.meldingen", "serve"], env=env, log_dir=logs)
    try:
        gateway = start_gateway(
            logs, devidp.issuer, {"meldingen": meldingen.url}, rate_limit_enabled="false"
        )
        try:
            yield Stack(gateway, meldingen, backend)
        finally:
            gateway.stop()
    finally:
        meldingen.stop()


@pytest.fixture
def people(devidp: DevIdp) -> tuple[dict[str, str], dict[str, str]]:
    org = next_org()
    melder = devidp.headers(f"melder-{uuid.uuid4().hex[:8]}", ["melder"], org)
    handler = devidp.headers(f"h-{uuid.uuid4().hex[:8]}", ["behandelaar"], org)
    return melder, handler


def _melding(base: str, headers: dict[str, str]) -> str:
    response = httpx.post(f"{base}{BASE}/meldingen", json=melding_body(), headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _stored(stack: Stack, melding_id: str) -> int:
    key: Any = uuid.UUID(melding_id) if stack.backend.is_postgres else uuid.UUID(melding_id).hex
    rows = query(
        stack.backend,
        "SELECT count(*) AS n FROM meldingen.bijlage WHERE melding_id = :id",
        id=key,
    )
    return int(rows[0]["n"])


def test_a_melder_adds_a_screenshot_through_the_gateway_and_a_handler_downloads_it(
    stack: Stack, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    melder, handler = people
    base = stack.gateway.url
    melding_id = _melding(base, melder)
    data = png_of_size(MIB)
    created = httpx.post(
        f"{base}{BASE}/meldingen/{melding_id}/bijlagen",
        files={"bestand": ("screenshot.png", data, "image/png")},
        headers=melder,
        timeout=30,
    )
    assert created.status_code == 201, created.text
    assert created.headers["location"].startswith(base)
    body = created.json()
    download = httpx.get(
        f"{base}{BASE}/meldingen/{melding_id}/bijlagen/{body['id']}/inhoud",
        headers=handler,
        timeout=30,
    )
    assert download.status_code == 200
    assert download.content == data
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert download.headers["repr-digest"] == f"sha-256=:{digest}:"
    assert download.headers["content-disposition"].startswith("attachment;")


def test_a_file_of_20_mib_and_one_byte_streamed_through_the_gateway_is_413(
    stack: Stack, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    melder, _ = people
    melding_id = _melding(stack.gateway.url, melder)
    response = httpx.post(
        f"{stack.gateway.url}{BASE}/meldingen/{melding_id}/bijlagen",
        content=streamed_multipart("groot.png", 20 * MIB + 1),
        headers={**melder, "Content-Type": content_type_of()},
        timeout=60,
    )
    assert response.status_code == 413, response.text
    assert response.json()["type"] == "urn:weerbaar:probleem:bijlage-te-groot"
    assert _stored(stack, melding_id) == 0


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_a_body_over_the_routes_limit_is_refused_by_the_gateway_itself(
    stack: Stack, people: tuple[dict[str, str], dict[str, str]], chunked: bool
) -> None:
    melder, _ = people
    melding_id = _melding(stack.gateway.url, melder)
    size = 21 * MIB
    body: Any = streamed_multipart("groot.png", size)
    if not chunked:
        body = b"".join(body)
    response = httpx.post(
        f"{stack.gateway.url}{BASE}/meldingen/{melding_id}/bijlagen",
        content=body,
        headers={**melder, "Content-Type": content_type_of()},
        timeout=60,
    )
    assert response.status_code == 413, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _stored(stack, melding_id) == 0


def test_other_routes_keep_one_mebibyte_at_the_gateway(
    stack: Stack, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    melder, _ = people
    melding_id = _melding(stack.gateway.url, melder)
    response = httpx.post(
        f"{stack.gateway.url}{BASE}/meldingen/{melding_id}/notities",
        json={"tekst": "x" * (MIB + 1)},
        headers=melder,
    )
    assert response.status_code == 413


def _raw_post(
    url: str, path: str, headers: dict[str, str], declared: int, body: Iterator[bytes]
) -> int:
    """POST at the socket with a Content-Length of `declared`, then send all of `body`."""
    host, port = url.removeprefix("http://").split(":")
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}:{port}",
        f"Content-Type: {content_type_of()}",
        f"Content-Length: {declared}",
        *(f"{k}: {v}" for k, v in headers.items()),
        "",
        "",
    ]
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall("\r\n".join(lines).encode())
        try:
            for chunk in body:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: what it answered is what counts
        reply = b""
        while b"\r\n" not in reply:
            part = sock.recv(4096)
            if not part:
                break
            reply += part
    return int(reply.split(b" ", 2)[1])


@pytest.mark.parametrize("via", ["gateway", "service"])
def test_a_lying_content_length_at_the_socket_stores_nothing(
    stack: Stack, people: tuple[dict[str, str], dict[str, str]], via: str
) -> None:
    """Content-Length says 4 KiB, the client sends 20 MiB + 1: the service reads what was
    declared, finds the multipart body cut off (400), and stores nothing; the gateway sees
    the bytes after the declared body and answers 413 (gateway.serving)."""
    melder, _ = people
    process = stack.gateway if via == "gateway" else stack.meldingen
    melding_id = _melding(process.url, melder)
    status = _raw_post(
        process.url,
        f"{BASE}/meldingen/{melding_id}/bijlagen",
        melder,
        4096,
        streamed_multipart("groot.png", 20 * MIB + 1),
    )
    assert status == (413 if via == "gateway" else 400)
    assert _stored(stack, melding_id) == 0
    head, _ = multipart_body("a.png", b"")
    assert len(head) < 4096


def test_the_service_log_never_shows_a_file_name_or_its_content(
    stack: Stack, people: tuple[dict[str, str], dict[str, str]]
) -> None:
    melder, _ = people
    melding_id = _melding(stack.gateway.url, melder)
    httpx.post(
        f"{stack.gateway.url}{BASE}/meldingen/{melding_id}/bijlagen",
        files={"bestand": ("jan-jansen-adres.png", png_of_size(4096), "image/png")},
        headers=melder,
    )
    for process in (stack.meldingen, stack.gateway):
        assert "jan-jansen" not in process.log()
