"""The routes anyone may read without a token (DESIGN.md: the kennisbank is public).

The gateway's default public routes and its `kennisbank-publiek` route group are made from
this (gateway/config.py), and the kennisbank service authenticates by it (its app.py), so
the two can never disagree about what an anonymous reader may see.
"""

from __future__ import annotations

# (METHODS, path regex without anchors)
KENNISBANK_PUBLIC_ROUTES: tuple[tuple[str, str], ...] = (
    ("GET,HEAD", r"/api/kennisbank/v1/artikelen(/[^/]+)?"),
    ("GET,HEAD", r"/api/kennisbank/v1/zoeken"),
)
