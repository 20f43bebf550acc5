"""The renderer runs in a worker thread with a time limit, and counts the costly markup."""

from __future__ import annotations

import asyncio

import pytest

from services.kennisbank.artikel.rendering import TeComplex, opmaaktekens, render


def test_render_in_a_worker_thread_sanitises() -> None:
    html = asyncio.run(render("**vet** <script>alert(1)</script> [a](javascript:x)"))
    assert "<strong>vet</strong>" in html
    assert "<script" not in html
    assert 'href="javascript' not in html


def test_past_the_time_limit_the_render_is_given_up() -> None:
    with pytest.raises(TeComplex):
        asyncio.run(render("![" * 1_000, seconds=0))


def test_markup_characters_are_counted() -> None:
    assert opmaaktekens("Gewone tekst, met een punt.") == 0
    assert opmaaktekens("![a](b) *c* _d_ <e> `f`") == 8
