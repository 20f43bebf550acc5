"""The stored stem bitsets (``zoekbits``) stay what the postings say, through publish,
change and unpublish, on both databases; and blocks cut and join losslessly."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlmodel import col

from services.common.db import DatabaseTarget, create_engine_for, database_target, session_factory
from services.common.migrations import upgrade
from services.common.settings import ServiceSettings
from services.kennisbank.artikel.models import Artikel
from services.kennisbank.db import SCHEMA
from services.kennisbank.search import repository
from services.kennisbank.search.bitsets import bitset, blokken, uit_blokken, zet_bit
from services.kennisbank.search.models import BLOKBITS, Zoekbits, Zoekdocument, Zoekterm
from services.kennisbank.search.service import Zoekdienst
from services.kennisbank.search.zoekmachine import Filters
from services.kennisbank.seed.load import seed
from tests.support import postgres


def test_blocks_cut_and_join_losslessly() -> None:
    nummers = [1, 7, 8, 8191, 8192, 8193, 20000, 3 * 8192 + 5]
    bits = bitset(nummers)
    delen = blokken(bits, BLOKBITS)
    assert sorted(delen) == [0, 1, 2, 3]
    assert all(d and d[-1] for d in delen.values())  # no trailing zero bytes
    assert uit_blokken(delen.items(), BLOKBITS) == bits
    assert uit_blokken([], BLOKBITS) == 0


def test_setting_and_clearing_a_bit() -> None:
    blok = zet_bit(None, 17, True)
    assert int.from_bytes(blok, "little") == 1 << 17
    blok = zet_bit(blok, 3, True)
    assert int.from_bytes(blok, "little") == (1 << 17) | (1 << 3)
    assert zet_bit(blok, 3, True) == blok  # idempotent
    blok = zet_bit(blok, 17, False)
    assert blok == bytes([1 << 3])  # trailing zero bytes dropped
    assert zet_bit(blok, 3, False) == b""
    assert zet_bit(b"", 40, False) == b""


async def _opgeslagen_en_verwacht(doel: DatabaseTarget) -> tuple[dict[str, int], dict[str, int]]:
    engine = create_engine_for(doel)
    try:
        async with session_factory(engine)() as session:
            rijen = await session.execute(
                select(col(Zoekterm.stam), col(Zoekdocument.nummer)).join_from(
                    Zoekterm,
                    Zoekdocument,
                    col(Zoekdocument.artikel_id) == col(Zoekterm.artikel_id),
                )
            )
            per_stam: dict[str, list[int]] = {}
            for stam, nummer in rijen.tuples():
                per_stam.setdefault(stam, []).append(nummer)
            opgeslagen_stammen = sorted(set(await session.scalars(select(col(Zoekbits.stam)))))
            opgeslagen = await repository.stambits(session, opgeslagen_stammen)
    finally:
        await engine.dispose()
    return opgeslagen, {stam: bitset(n) for stam, n in per_stam.items()}


async def _wijzig(doel: DatabaseTarget) -> None:
    """Unpublish one article, change another's text, republish the first."""
    engine = create_engine_for(doel)
    dienst = Zoekdienst()
    try:
        async with session_factory(engine)() as session:
            artikelen = list(
                await session.scalars(select(Artikel).order_by(col(Artikel.slug)).limit(2))
            )
            eerste, tweede = artikelen
            await dienst.werk_bij(
                session,
                artikel_id=eerste.id,
                gepubliceerd=False,
                titel=eerste.titel,
                samenvatting=eerste.samenvatting,
                inhoud=eerste.inhoud,
            )
            await session.commit()
            await dienst.werk_bij(
                session,
                artikel_id=tweede.id,
                gepubliceerd=True,
                titel="Zxbitsproef alleen hier",
                samenvatting=tweede.samenvatting,
                inhoud="Een heel andere tekst over zxbitsproef.",
            )
            await dienst.werk_bij(
                session,
                artikel_id=eerste.id,
                gepubliceerd=True,
                titel=eerste.titel,
                samenvatting=eerste.samenvatting,
                inhoud=eerste.inhoud,
            )
            await session.commit()
    finally:
        await engine.dispose()


def test_stored_bitsets_follow_every_index_change(eigen_database: str) -> None:
    doel = database_target(
        ServiceSettings(database_url=eigen_database), service="kennisbank", schema=SCHEMA
    )
    upgrade("kennisbank", doel)
    asyncio.run(seed(ServiceSettings(database_url=eigen_database)))
    opgeslagen, verwacht = asyncio.run(_opgeslagen_en_verwacht(doel))
    assert len(verwacht) > 500
    assert opgeslagen == verwacht
    asyncio.run(_wijzig(doel))
    opgeslagen, verwacht = asyncio.run(_opgeslagen_en_verwacht(doel))
    assert "zxbitsproef" in verwacht
    assert verwacht["zxbitsproef"].bit_count() == 1
    assert opgeslagen == verwacht  # no stem keeps a bit of an article that lost it


async def _twee_processen(doel: DatabaseTarget) -> tuple[int, int, list[str]]:
    """Process A searches (caching dictionary, taxonomy and bitsets), process B changes
    an article's text, A searches again: A must see B's change, not its cache."""
    engine = create_engine_for(doel)
    a, b = Zoekdienst(), Zoekdienst()
    try:
        async with session_factory(engine)() as session:
            artikel = (await session.scalars(select(Artikel).order_by(col(Artikel.slug)))).first()
            assert artikel is not None
            voor = await a.zoek(session, "zxtweeproces aangifte", Filters(), pagina=1, grootte=5)
            await b.werk_bij(
                session,
                artikel_id=artikel.id,
                gepubliceerd=True,
                titel="Zxtweeproces",
                samenvatting=artikel.samenvatting,
                inhoud=artikel.inhoud,
            )
            await session.commit()
            na = await a.zoek(session, "zxtweeproces", Filters(), pagina=1, grootte=5)
    finally:
        await engine.dispose()
    return voor.aantal, na.aantal, [t.slug for t in na.treffers] + [artikel.slug]


def test_a_process_sees_what_another_indexed(eigen_database: str) -> None:
    doel = database_target(
        ServiceSettings(database_url=eigen_database), service="kennisbank", schema=SCHEMA
    )
    upgrade("kennisbank", doel)
    asyncio.run(seed(ServiceSettings(database_url=eigen_database)))
    voor, na, slugs = asyncio.run(_twee_processen(doel))
    assert voor > 0  # "aangifte" is in the seed content; the new word is not
    assert na == 1
    assert slugs == [slugs[-1], slugs[-1]]  # the one changed article


async def _gelijktijdig(doel: DatabaseTarget, rondes: int) -> None:
    """Two writers re-index two articles at the same time, over and over: both touch
    the same stems' blocks (block 0 holds every seed article)."""
    engine = create_engine_for(doel)
    dienst = Zoekdienst()
    try:
        async with session_factory(engine)() as session:
            artikelen = list(
                await session.scalars(select(Artikel).order_by(col(Artikel.slug)).limit(2))
            )

        async def schrijf(artikel: Artikel, ronde: int) -> None:
            async with session_factory(engine)() as session:
                await dienst.werk_bij(
                    session,
                    artikel_id=artikel.id,
                    gepubliceerd=ronde % 3 != 2,  # now and then unpublished
                    titel=artikel.titel,
                    samenvatting=artikel.samenvatting,
                    inhoud=f"{artikel.inhoud}\n\nRonde zxronde{ronde} over aangifte.",
                )
                await session.commit()

        for ronde in range(rondes):
            await asyncio.gather(*(schrijf(a, ronde) for a in artikelen))
    finally:
        await engine.dispose()


def test_concurrent_writers_keep_the_stored_bitsets_exact(postgres_admin_url: str) -> None:
    url = postgres.create_database(postgres_admin_url, prefix="wb_kb_bits_race")
    try:
        doel = database_target(
            ServiceSettings(database_url=url), service="kennisbank", schema=SCHEMA
        )
        upgrade("kennisbank", doel)
        asyncio.run(seed(ServiceSettings(database_url=url)))
        asyncio.run(_gelijktijdig(doel, 5))  # the last round publishes
        opgeslagen, verwacht = asyncio.run(_opgeslagen_en_verwacht(doel))
        assert "zxronde4" in verwacht
        assert opgeslagen == verwacht
    finally:
        postgres.drop_database(postgres_admin_url, url)
