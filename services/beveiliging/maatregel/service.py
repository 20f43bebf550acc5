"""Catalogue rules: everyone signed in reads; a beheerder adds, edits and retires."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from services.beveiliging.errors import BestaatAl, NietGevonden
from services.beveiliging.maatregel import repository
from services.beveiliging.maatregel.catalogus import CATALOGUS
from services.beveiliging.maatregel.models import Maatregel
from services.beveiliging.maatregel.schemas import CODE_PATTERN, MaatregelCreate, MaatregelPatch
from services.common.types import utcnow


async def lijst(
    *, session: AsyncSession, categorie: str | None, actief: bool | None, offset: int, limit: int
) -> tuple[int, Sequence[Maatregel]]:
    return await repository.lijst(
        session, categorie=categorie, actief=actief, offset=offset, limit=limit
    )


async def haal(*, session: AsyncSession, code: str) -> Maatregel:
    # A code no maatregel can have is not looked up: like any malformed id, it is not found
    # (and a NUL in it would fail in PostgreSQL).
    maatregel = await repository.get(session, code) if re.fullmatch(CODE_PATTERN, code) else None
    if maatregel is None:
        raise NietGevonden("De maatregel")
    return maatregel


async def voeg_toe(*, session: AsyncSession, nieuw: MaatregelCreate) -> Maatregel:
    if await repository.get(session, nieuw.code) is not None:
        raise BestaatAl(f"Er is al een maatregel met code {nieuw.code!r}.")
    maatregel = Maatregel(
        code=nieuw.code, naam=nieuw.naam, categorie=nieuw.categorie, omschrijving=nieuw.omschrijving
    )
    repository.add(session, maatregel)
    await session.flush()
    return maatregel


async def wijzig(*, session: AsyncSession, code: str, wijziging: MaatregelPatch) -> Maatregel:
    maatregel = await haal(session=session, code=code)
    if wijziging.naam is not None:
        maatregel.naam = wijziging.naam
    if wijziging.omschrijving is not None:
        maatregel.omschrijving = wijziging.omschrijving
    if wijziging.actief is not None and wijziging.actief != maatregel.actief:
        maatregel.actief = wijziging.actief
        maatregel.ingetrokken_op = None if wijziging.actief else utcnow()
    await session.flush()
    return maatregel


async def seed(*, session: AsyncSession) -> int:
    """Add the catalogue's measures that are missing; existing codes are left as they are."""
    bestaand = await repository.bestaande_codes(session)
    nieuw = [m for m in CATALOGUS if m.code not in bestaand]
    for m in nieuw:
        repository.add(
            session,
            Maatregel(code=m.code, naam=m.naam, categorie=m.categorie, omschrijving=m.omschrijving),
        )
    await session.flush()
    return len(nieuw)
