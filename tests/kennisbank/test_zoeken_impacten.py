"""The two ways of fetching articles' impacts (``stam IN … AND artikel_id IN …``, or a
primary-key probe per article and stem, chosen by what the stems' postings would cost)
return the same rows, on both databases."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import select
from sqlmodel import col

from services.common.db import DatabaseTarget, create_engine_for, database_target, session_factory
from services.common.migrations import upgrade
from services.common.settings import ServiceSettings
from services.kennisbank.db import SCHEMA
from services.kennisbank.search import repository
from services.kennisbank.search.models import Zoekterm
from services.kennisbank.search.zoekmachine import Filters
from services.kennisbank.seed.load import seed

Uitkomst = tuple[dict[str, dict[str, float]], dict[str, dict[str, float]], int, int]


async def _beide(doel: DatabaseTarget) -> Uitkomst:
    engine = create_engine_for(doel)
    try:
        async with session_factory(engine)() as session:
            stammen = ["bedreig", "aangif", "politie", "zxbestaatniet"]
            # keys as the backend gives them (its postings), as a search passes them on
            lijsten = await repository.postings(session, stammen[:2], Filters(), 0, 10**6)
            ids = sorted({sleutel for lijst in lijsten.values() for sleutel, _ in lijst})
            verwacht = len(
                list(
                    await session.scalars(
                        select(col(Zoekterm.impact)).where(
                            col(Zoekterm.stam).in_(stammen),
                            col(Zoekterm.artikel_id).in_([uuid.UUID(s) for s in ids]),
                        )
                    )
                )
            )
            gescand = await repository.impacten(session, ids, stammen)
            # as many postings as a large corpus has: probes cost less than reading them
            gepeild = await repository.impacten(session, ids, stammen, postings=10**9)
    finally:
        await engine.dispose()
    return gescand, gepeild, len(ids), verwacht


def test_probing_and_scanning_find_the_same_impacts(eigen_database: str) -> None:
    doel = database_target(
        ServiceSettings(database_url=eigen_database), service="kennisbank", schema=SCHEMA
    )
    upgrade("kennisbank", doel)
    asyncio.run(seed(ServiceSettings(database_url=eigen_database)))
    gescand, gepeild, artikelen, rijen = asyncio.run(_beide(doel))
    assert artikelen > 5
    assert sum(len(i) for i in gescand.values()) == rijen
    assert gepeild == gescand
    assert all("zxbestaatniet" not in i for i in gepeild.values())
