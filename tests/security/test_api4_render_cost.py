"""API4 unrestricted resource consumption: one article must not stall the kennisbank.

Markdown used to be rendered on every `GET /artikelen/{slug}`, in the event loop: an article
of 50,000 × `![` cost ~2 s of CPU per anonymous read and held `/health/live` up. Now the
sanitised HTML is rendered once, when the article is written, and stored; the markup
characters whose rendering cost grows with their number (`[ * _ < ``) are bounded at the
write.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from services.common.db import create_engine_for
from services.kennisbank.app import create_app
from services.kennisbank.artikel.rendering import MAX_OPMAAKTEKENS
from services.kennisbank.config import KennisbankSettings
from tests.conftest import Backend, DevIdp
from tests.kennisbank.conftest import BASE, artikel_body, publiceer


@pytest.fixture
def client(backend: Backend, service_client: Callable[..., TestClient]) -> TestClient:
    return service_client(backend, "kennisbank", create_app, KennisbankSettings)


@pytest.fixture
def redacteur(devidp: DevIdp) -> dict[str, str]:
    return devidp.headers("redacteur-render", ["redacteur"], "OWB")


def _store_html(backend: Backend, slug: str, html: str) -> None:
    async def run() -> None:
        engine = create_engine_for(backend.migrate("kennisbank"), pool_size=1)
        try:
            async with engine.begin() as connection:
                await connection.execute(
                    text("UPDATE kennisbank.artikel SET inhoud_html = :h WHERE slug = :s"),
                    {"h": html, "s": slug},
                )
        finally:
            await engine.dispose()

    asyncio.run(run())


def test_a_read_serves_the_html_rendered_at_write(
    client: TestClient, backend: Backend, redacteur: dict[str, str]
) -> None:
    artikel = publiceer(client, redacteur, inhoud="Doe **aangifte**.")
    assert "<strong>aangifte</strong>" in artikel["inhoudHtml"]
    # What a read returns is what the write stored: a read renders nothing.
    _store_html(backend, artikel["slug"], "<p>opgeslagen bij het schrijven</p>")
    read = client.get(f"{BASE}/artikelen/{artikel['slug']}")
    assert read.status_code == 200
    assert read.json()["inhoudHtml"] == "<p>opgeslagen bij het schrijven</p>"
    listed = client.get(f"{BASE}/artikelen/{artikel['slug']}", headers=redacteur)
    assert listed.json()["inhoudHtml"] == "<p>opgeslagen bij het schrijven</p>"


def test_a_change_of_inhoud_renders_again(client: TestClient, redacteur: dict[str, str]) -> None:
    artikel = publiceer(client, redacteur, inhoud="Eerst.")
    changed = client.patch(
        f"{BASE}/artikelen/{artikel['slug']}",
        json={"inhoud": "Daarna <script>alert(1)</script>[link](javascript:alert(1))"},
        headers=redacteur,
    )
    assert changed.status_code == 200, changed.text
    html = client.get(f"{BASE}/artikelen/{artikel['slug']}").json()["inhoudHtml"]
    assert "Daarna" in html
    assert "<script" not in html
    assert 'href="javascript' not in html


def test_pathological_markup_is_refused_at_the_write(
    client: TestClient, redacteur: dict[str, str]
) -> None:
    for inhoud in ("![" * 50_000, "[" * 100_000, "*_" * 50_000, "<" * (MAX_OPMAAKTEKENS + 1)):
        created = client.post(
            f"{BASE}/artikelen", json=artikel_body(inhoud=inhoud), headers=redacteur
        )
        assert created.status_code == 400, created.text[:200]
        params = created.json()["invalidParams"]
        assert [(p["name"], p["code"]) for p in params] == [("inhoud", "te_complex")]
        assert len(created.content) < 2_000  # the input is not echoed
    at_limit = client.post(
        f"{BASE}/artikelen",
        json=artikel_body(inhoud="[a](https://e.nl) " * MAX_OPMAAKTEKENS),
        headers=redacteur,
    )
    assert at_limit.status_code == 201, at_limit.text[:300]


def test_patch_with_pathological_markup_is_refused(
    client: TestClient, redacteur: dict[str, str], unique_sub: Callable[[str], str]
) -> None:
    artikel = publiceer(client, redacteur, titel=unique_sub("Artikel"))
    changed = client.patch(
        f"{BASE}/artikelen/{artikel['slug']}", json={"inhoud": "![" * 50_000}, headers=redacteur
    )
    assert changed.status_code == 400
    assert changed.json()["invalidParams"][0]["code"] == "te_complex"
    assert client.get(f"{BASE}/artikelen/{artikel['slug']}").json()["inhoud"] == artikel["inhoud"]
