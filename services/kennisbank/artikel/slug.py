"""Slugs: made from the title at creation, unique with a numeric suffix, then kept."""

from __future__ import annotations

import re
from collections.abc import Container

from services.kennisbank.search.analyse import vouw

MAX_LENGTH = 80
_NOT_ALLOWED = re.compile(r"[^a-z0-9]+")
# What make_slug and unique_slug can make; nothing else can name an article.
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def could_exist(slug: str) -> bool:
    """Whether ``slug`` is one this service could have made (a NUL would fail in PostgreSQL)."""
    return len(slug) <= MAX_LENGTH + 12 and _SLUG.fullmatch(slug) is not None


def make_slug(titel: str) -> str:
    """``Online bedreiging en doxing`` → ``online-bedreiging-en-doxing``."""
    basis = _NOT_ALLOWED.sub("-", vouw(titel)).strip("-")
    if len(basis) > MAX_LENGTH:
        basis = basis[:MAX_LENGTH].rsplit("-", 1)[0]
    return basis or "artikel"


def unique_slug(titel: str, bezet: Container[str]) -> str:
    """The title's slug, or with ``-2``, ``-3``… appended when already taken."""
    basis = make_slug(titel)
    if basis not in bezet:
        return basis
    volgnummer = 2
    while f"{basis}-{volgnummer}" in bezet:
        volgnummer += 1
    return f"{basis}-{volgnummer}"
