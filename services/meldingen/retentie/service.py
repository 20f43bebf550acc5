"""Retention (anonymise closed meldingen after the retention period) and key rotation.

Both run as commands (`python -m services.meldingen retention|rotate-keys`) with the owner
role's URL, like `migrate`: only the owner may rewrite the access log's subjects. Schedule
retention daily, e.g. as a Kubernetes CronJob; both are idempotent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.common.crypto import KeyRing, load_key_ring
from services.common.db import DatabaseTarget, database_target, run_in_session
from services.common.types import utcnow
from services.meldingen.aangifte.models import Aangifte, AangifteWijziging
from services.meldingen.aangifte.service import AANGIFTE_AAD, WIJZIGING_AAD
from services.meldingen.bijlage.models import Bijlage
from services.meldingen.bijlage.rotatie import roteer_inhoud
from services.meldingen.bijlage.service import BESTANDSNAAM_AAD, NAAM_AAD
from services.meldingen.bijlage.service import OMSCHRIJVING_AAD as BIJLAGE_OMSCHRIJVING_AAD
from services.meldingen.config import MeldingenSettings
from services.meldingen.db import SCHEMA
from services.meldingen.melding.models import IdempotentVerzoek, Melding, Statuswijziging
from services.meldingen.melding.service import IDEMPOTENCY_AAD, OMSCHRIJVING_AAD, TOELICHTING_AAD
from services.meldingen.nazorg.models import Nazorgmoment
from services.meldingen.nazorg.service import OMSCHRIJVING_AAD as NAZORG_OMSCHRIJVING_AAD
from services.meldingen.nazorg.service import UITKOMST_AAD
from services.meldingen.notitie.models import Notitie
from services.meldingen.notitie.service import TEKST_AAD as NOTITIE_AAD
from services.meldingen.retentie import repository
from services.meldingen.statistiek.service import rond_anonimisering


@dataclass(frozen=True)
class RetentieVerslag:
    grens: datetime
    aangehouden: int
    gewist: dict[str, int]

    def regels(self) -> list[str]:
        lines = [
            f"retentie: gesloten vóór {self.grens.isoformat()} wordt geanonimiseerd",
            f"meldingen geanonimiseerd: {self.gewist['meldingen']}",
            f"aangehouden (strafzaak loopt nog): {self.aangehouden}",
        ]
        lines += [f"{name} gewist: {n}" for name, n in self.gewist.items() if name != "meldingen"]
        return lines


async def anonimiseer(
    session: AsyncSession, *, bewaartermijn_dagen: int, now: datetime | None = None
) -> RetentieVerslag:
    """Remove free text, notes, registration numbers and subjects; keep the structured fields."""
    grens = (now or utcnow()) - timedelta(days=bewaartermijn_dagen)
    aangehouden = await repository.aantal_aangehouden(session, grens)
    # The statistics survive: the rollups take these meldingen out and count them in again
    # after the change, in this transaction (a no-op today: no grouped field is cleared).
    ids = await repository.nog_te_anonimiseren(session, grens)
    gewist = await rond_anonimisering(session, ids, lambda: repository.wis(session, grens))
    return RetentieVerslag(grens=grens, aangehouden=aangehouden, gewist=gewist)


@dataclass(frozen=True)
class Versleuteld:
    name: str
    pk: Any
    column: Any
    aad: Callable[[Any], str]


ENCRYPTED_COLUMNS: tuple[Versleuteld, ...] = (
    Versleuteld(
        "melding.omschrijving",
        col(Melding.id),
        col(Melding.omschrijving_versleuteld),
        OMSCHRIJVING_AAD,
    ),
    Versleuteld(
        "statuswijziging.toelichting",
        col(Statuswijziging.id),
        col(Statuswijziging.toelichting_versleuteld),
        TOELICHTING_AAD,
    ),
    Versleuteld(
        "idempotent_verzoek.antwoord",
        col(IdempotentVerzoek.id),
        col(IdempotentVerzoek.antwoord_versleuteld),
        IDEMPOTENCY_AAD,
    ),
    Versleuteld("notitie.tekst", col(Notitie.id), col(Notitie.tekst_versleuteld), NOTITIE_AAD),
    Versleuteld(
        "aangifte.politie_registratienummer",
        col(Aangifte.melding_id),
        col(Aangifte.politie_registratienummer_versleuteld),
        AANGIFTE_AAD,
    ),
    Versleuteld(
        "aangifte_wijziging.politie_registratienummer",
        col(AangifteWijziging.id),
        col(AangifteWijziging.politie_registratienummer_versleuteld),
        WIJZIGING_AAD,
    ),
    Versleuteld(
        "nazorgmoment.omschrijving",
        col(Nazorgmoment.id),
        col(Nazorgmoment.omschrijving_versleuteld),
        NAZORG_OMSCHRIJVING_AAD,
    ),
    Versleuteld(
        "nazorgmoment.uitkomst",
        col(Nazorgmoment.id),
        col(Nazorgmoment.uitkomst_versleuteld),
        UITKOMST_AAD,
    ),
    # attachments: their names and description; the content segments: roteer_inhoud below
    Versleuteld(
        "bijlage.bestandsnaam",
        col(Bijlage.id),
        col(Bijlage.bestandsnaam_versleuteld),
        BESTANDSNAAM_AAD,
    ),
    Versleuteld(
        "bijlage.oorspronkelijke_naam",
        col(Bijlage.id),
        col(Bijlage.oorspronkelijke_naam_versleuteld),
        NAAM_AAD,
    ),
    Versleuteld(
        "bijlage.omschrijving",
        col(Bijlage.id),
        col(Bijlage.omschrijving_versleuteld),
        BIJLAGE_OMSCHRIJVING_AAD,
    ),
)


async def roteer_sleutels(
    session: AsyncSession, key_ring: KeyRing, *, batch: int = 500, commit: bool = True
) -> dict[str, int]:
    """Re-encrypt every value not yet under the ring's first key; committed per batch."""
    kid = key_ring.current_kid
    counts: dict[str, int] = {}
    for kolom in ENCRYPTED_COLUMNS:
        total = 0
        while rows := await repository.niet_onder_sleutel(
            session, kolom.pk, kolom.column, kid, batch
        ):
            for key, value in rows:
                row_id = key if isinstance(key, uuid.UUID) else uuid.UUID(str(key))
                plain = key_ring.decrypt(value, aad=kolom.aad(row_id))
                new = key_ring.encrypt(plain, aad=kolom.aad(row_id))
                await repository.herschrijf(session, kolom.pk, kolom.column, key, new)
            total += len(rows)
            if commit:
                await session.commit()
            else:
                await session.flush()
        counts[kolom.name] = total
    counts["bijlage.inhoud"] = await roteer_inhoud(session, key_ring, commit=commit)
    return counts


# ---- the commands -----------------------------------------------------------------------------


def maintenance_target(settings: MeldingenSettings) -> DatabaseTarget:
    """The owner role's database (WEERBAAR_MIGRATION_DATABASE_URL), as for `migrate`."""
    return database_target(settings, service="meldingen", schema=SCHEMA, migration=True)


async def run_retention(
    settings: MeldingenSettings, target: DatabaseTarget | None = None
) -> RetentieVerslag:
    async def work(session: AsyncSession) -> RetentieVerslag:
        return await anonimiseer(
            session, bewaartermijn_dagen=settings.meldingen_bewaartermijn_dagen
        )

    verslag: RetentieVerslag = await run_in_session(target or maintenance_target(settings), work)
    for line in verslag.regels():
        print(line)
    return verslag


async def run_rotation(
    settings: MeldingenSettings, target: DatabaseTarget | None = None
) -> dict[str, int]:
    key_ring = load_key_ring(settings)

    async def work(session: AsyncSession) -> dict[str, int]:
        return await roteer_sleutels(session, key_ring)

    counts: dict[str, int] = await run_in_session(target or maintenance_target(settings), work)
    print(f"rotate-keys: alles versleuteld onder sleutel {key_ring.current_kid}")
    for name, n in counts.items():
        print(f"{name} herschreven: {n}")
    return counts
