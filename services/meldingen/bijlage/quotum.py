"""How many bytes of attachments one subject may add in any 24 hours.

Twenty files of 20 MiB per melding, and a new melding every second, let one token store tens of
MiB per second in the service's database (36 MiB/s from one melder token through the gateway
with its default rate limits, on a 2-core machine): the disk that report intake writes to would
fill in hours. Evidence for one melding fits the default allowance (1 GiB) twice over; beyond it
the answer is 429 with `Retry-After` until the oldest upload in the window leaves it. Counted
from what is stored, per subject, so it holds across replicas and with or without the gateway.
Uploads in flight at the same moment are each checked against what is stored: the allowance can
be passed by at most the files one subject uploads at once (the gateway allows two).
"""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.principal import Principal
from services.common.problems import DomainError
from services.common.types import utcnow
from services.meldingen.bijlage import repository

VENSTER = timedelta(hours=24)
MIB = 1024 * 1024


class QuotumVerbruikt(DomainError):
    status = 429
    code = "bijlagen-quotum"
    title = "U hebt de bijlagen van vandaag al toegevoegd."


async def controleer(
    session: AsyncSession, caller: Principal, *, quotum_bytes: int, erbij: int = 0
) -> None:
    """429 when ``caller``'s attachments of the last 24 hours plus ``erbij`` bytes pass it.

    Before the body is read ``erbij`` is 0 (refused only once the allowance is used up); with
    the file received it is the file's size.
    """
    now = utcnow()
    gebruikt, oudste = await repository.added_by_since(session, caller.sub, now - VENSTER)
    if gebruikt + erbij <= quotum_bytes and (erbij or gebruikt < quotum_bytes):
        return
    wacht = (oudste + VENSTER - now).total_seconds() if oudste is not None else 1.0
    raise QuotumVerbruikt(
        f"Hoogstens {quotum_bytes // MIB} MiB aan bijlagen per 24 uur per persoon; "
        "probeer het later opnieuw.",
        headers={"Retry-After": str(max(1, math.ceil(wacht)))},
    )
