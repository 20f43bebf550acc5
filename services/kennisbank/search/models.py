"""The search index tables: the same on PostgreSQL and SQLite.

Only published articles are in them. ``zoekterm`` is the inverted index (one row
per stem and article with its occurrences per field and its impact, the stem's share
of the article's score, indexed per stem best-first for top-k reads); ``zoekdocument`` holds the
field lengths and the plain text for fragments; ``zoekwoord`` is the typo
dictionary; ``zoekbits`` holds each stem's matching articles as a bitset over their
numbers, in blocks, kept in step by every index change, so count, facets and document
frequencies never need a walk over a stem's postings; ``zoekstatistiek`` is one row
with the corpus totals and a version that tells each process when to reload its
cached dictionary.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlmodel import Field

from services.kennisbank.db import KennisbankTable


class Zoekdocument(KennisbankTable, table=True):
    __tablename__ = "zoekdocument"
    # covering: a cold stem bitset joins its postings to the numbers without reading
    # the rows (which hold the whole plain text)
    __table_args__ = (Index("ix_zoekdocument_artikel_id_nummer", "artikel_id", "nummer"),)

    artikel_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("kennisbank.artikel.id"), primary_key=True)
    )
    nummer: int = Field(nullable=False, unique=True)
    """Dense number of the article in the index: its bit in the cached bitsets."""
    lengte_titel: int = Field(nullable=False)
    lengte_samenvatting: int = Field(nullable=False)
    lengte_inhoud: int = Field(nullable=False)
    tekst: str = Field(sa_column=Column(Text, nullable=False))
    woorden: str = Field(sa_column=Column(Text, nullable=False))
    """The article's dictionary words, space-separated, to take them out again."""


class Zoekterm(KennisbankTable, table=True):
    __tablename__ = "zoekterm"
    __table_args__ = (Index("ix_zoekterm_stam_impact", "stam", "impact", "artikel_id"),)

    stam: str = Field(sa_column=Column(String(64), primary_key=True))
    artikel_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("kennisbank.artikel.id"), primary_key=True, index=True)
    )
    tf_titel: int = Field(nullable=False)
    tf_samenvatting: int = Field(nullable=False)
    tf_inhoud: int = Field(nullable=False)
    impact: float = Field(sa_column=Column(Float, nullable=False))
    """``rangschikking.impact`` of the stem in the article; read best-first per stem."""


BLOKBITS = 8192
"""Articles per ``zoekbits`` block (1 kB): a publish rewrites one block per stem."""


class Zoekbits(KennisbankTable, table=True):
    __tablename__ = "zoekbits"

    stam: str = Field(sa_column=Column(String(64), primary_key=True))
    blok: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    """Articles ``blok × BLOKBITS`` up to the next block."""
    bits: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    """Little-endian: bit ``n`` of the block is article number ``blok × BLOKBITS + n``."""


class Zoekwoord(KennisbankTable, table=True):
    __tablename__ = "zoekwoord"

    woord: str = Field(sa_column=Column(String(64), primary_key=True))
    aantal: int = Field(nullable=False)


class Zoekstatistiek(KennisbankTable, table=True):
    __tablename__ = "zoekstatistiek"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    versie: int = Field(nullable=False)
    aantal: int = Field(nullable=False)
    totaal_titel: int = Field(nullable=False)
    totaal_samenvatting: int = Field(nullable=False)
    totaal_inhoud: int = Field(nullable=False)
