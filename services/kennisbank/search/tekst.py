"""Plain text out of Markdown, for indexing and for search fragments."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def markdown_naar_tekst(markdown: str) -> str:
    """The readable text of a Markdown document: one line per block, no markup."""
    blokken: list[str] = []
    for token in _parser().parse(markdown):
        if token.type == "inline":
            tekst = _inline_tekst(token.children or [])
            if tekst.strip():
                blokken.append(tekst.strip())
        elif token.type in {"code_block", "fence"} and token.content.strip():
            blokken.append(token.content.strip())
    return "\n".join(blokken)


def _inline_tekst(kinderen: list[Token]) -> str:
    delen: list[str] = []
    for kind in kinderen:
        if kind.type in {"text", "code_inline"}:
            delen.append(kind.content)
        elif kind.type in {"softbreak", "hardbreak"}:
            delen.append(" ")
        elif kind.type == "image":
            delen.append(_inline_tekst(kind.children or []))
    return "".join(delen)
