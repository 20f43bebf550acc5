"""`python -m services.kennisbank seed`: publish the seed articles that are not there yet."""

from __future__ import annotations

import logging

from services.common.db import create_engine_for, database_target, session_factory
from services.common.settings import ServiceSettings
from services.kennisbank.artikel import repository, service
from services.kennisbank.artikel.enums import ArtikelType, Doelgroep, Status, Thema
from services.kennisbank.artikel.schemas import ArtikelCreate
from services.kennisbank.db import SCHEMA
from services.kennisbank.search.service import Zoekdienst
from services.kennisbank.seed import seed_artikelen

SEED_AUTEUR = "kennisbank-seed"
logger = logging.getLogger("weerbaar.kennisbank.seed")


async def seed(settings: ServiceSettings) -> int:
    """Idempotent: an article whose slug exists is left as the editors made it."""
    engine = create_engine_for(database_target(settings, service="kennisbank", schema=SCHEMA))
    nieuw = 0
    try:
        async with session_factory(engine)() as session:
            zoekdienst = Zoekdienst()
            for artikel in seed_artikelen():
                if await repository.by_slug(session, artikel.slug) is not None:
                    continue
                data = ArtikelCreate.model_validate(
                    {
                        "titel": artikel.titel,
                        "samenvatting": artikel.samenvatting,
                        "inhoud": artikel.inhoud,
                        "themas": [Thema(t) for t in artikel.themas],
                        "doelgroepen": [Doelgroep(d) for d in artikel.doelgroepen],
                        "type": ArtikelType(artikel.type),
                    }
                )
                await service.create_artikel(
                    session, zoekdienst, door=SEED_AUTEUR, data=data, status=Status.gepubliceerd
                )
                nieuw += 1
            await session.commit()
    finally:
        await engine.dispose()
    logger.info("kennisbank seed: %d nieuwe artikelen", nieuw)
    return nieuw
