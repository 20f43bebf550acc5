"""Markdown as written → HTML that is safe to put in a page (nh3, a maintained sanitiser).

Rendered once, when an article is written, and stored: a read never renders (one published
article used to cost ~2 s of CPU per anonymous read, in the event loop). What a write may
cost is bounded twice: the markup characters whose cost grows with their number are limited
in the schema (see `MAX_OPMAAKTEKENS`), and the rendering runs in a worker thread, never in
the event loop, with a time limit.
"""

from __future__ import annotations

from functools import lru_cache

import anyio
import nh3
from anyio.lowlevel import RunVar
from markdown_it import MarkdownIt

URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Link and image openers, emphasis delimiters, inline HTML and code spans: markdown-it and
# the sanitiser spend time per such character that grows with how many there are (measured
# in benchmarks/kennisbank_render.py: 50,000 × "![" took ~2 s, 5,000 markup characters in a
# 100,000-character article ~0.2 s). The seed articles have at most 20.
OPMAAKTEKENS = frozenset("[*_<`")
MAX_OPMAAKTEKENS = 5_000
RENDER_SECONDS = 10.0  # a backstop far above what the limit above allows on a busy machine
# Writes of articles never take every worker thread; one limiter per event loop.
_RENDERERS: RunVar[anyio.CapacityLimiter] = RunVar("kennisbank_renderers")


class TeComplex(Exception):
    """The rendering did not finish within the time limit."""


def _renderers() -> anyio.CapacityLimiter:
    try:
        return _RENDERERS.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(2)
        _RENDERERS.set(limiter)
        return limiter


def opmaaktekens(markdown: str) -> int:
    return sum(1 for teken in markdown if teken in OPMAAKTEKENS)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Editors may write inline HTML; the sanitiser below decides what survives.
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")


def naar_html(markdown: str) -> str:
    """Render and sanitise: no script, no event handlers, no ``javascript:`` links."""
    ruw = _markdown().render(markdown)
    return nh3.clean(ruw, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer")


async def render(markdown: str, *, seconds: float = RENDER_SECONDS) -> str:
    """`naar_html` in a worker thread, so the event loop keeps answering meanwhile.

    A thread cannot be stopped: past the limit the caller gets `TeComplex` at once and the
    thread finishes on its own (bounded by `MAX_OPMAAKTEKENS`).
    """
    try:
        with anyio.fail_after(seconds):
            return await anyio.to_thread.run_sync(
                naar_html, markdown, limiter=_renderers(), abandon_on_cancel=True
            )
    except TimeoutError as exc:
        raise TeComplex from exc
