"""Markdown as written → HTML that is safe to put in a page (nh3, a maintained sanitiser)."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

URL_SCHEMES = {"http", "https", "mailto", "tel"}


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Editors may write inline HTML; the sanitiser below decides what survives.
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")


def naar_html(markdown: str) -> str:
    """Render and sanitise: no script, no event handlers, no ``javascript:`` links."""
    ruw = _markdown().render(markdown)
    return nh3.clean(ruw, url_schemes=URL_SCHEMES, link_rel="noopener noreferrer")
