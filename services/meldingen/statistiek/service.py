"""Privacy-safe figures: whole months, suppression below the threshold, no totals, no rows."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.principal import Principal
from services.common.problems import Forbidden, InvalidInput, InvalidParam
from services.meldingen.melding.enums import NATIONAL_TEAM, Rol
from services.meldingen.melding.repository import Bereik
from services.meldingen.statistiek import repository
from services.meldingen.statistiek.enums import Groepering
from services.meldingen.statistiek.repository import StatistiekFilter


def check_organisatie(caller: Principal, organisatie: str | None) -> None:
    """A handler (not an analyst) asking for another organisation's figures: 403."""
    if caller.has_role(Rol.analist):
        return
    if organisatie is not None and organisatie != caller.org:
        raise Forbidden("Een behandelaar ziet alleen cijfers van de eigen organisatie.")


def _scope(caller: Principal) -> Bereik | None:
    if caller.has_role(Rol.analist):
        return None
    return Bereik(organisatie=caller.org, landelijk=caller.org == NATIONAL_TEAM)


def validate(groepeer_op: list[Groepering], van: str | None, tot: str | None) -> None:
    problems: list[InvalidParam] = []
    if Groepering.organisatie in groepeer_op and Groepering.functie in groepeer_op:
        problems.append(
            InvalidParam(
                name="groepeerOp",
                code="combination_refused",
                reason="Organisatie en functie samen kunnen één persoon aanwijzen.",
            )
        )
    if len(set(groepeer_op)) != len(groepeer_op):
        problems.append(
            InvalidParam(name="groepeerOp", code="unique", reason="Elke groepering één keer.")
        )
    if van is not None and tot is not None and van > tot:
        problems.append(InvalidParam(name="tot", code="range", reason="tot ligt vóór van."))
    if problems:
        raise InvalidInput("Zie invalidParams voor elk probleem.", invalid_params=problems)


async def statistieken(
    session: AsyncSession,
    *,
    caller: Principal,
    groepeer_op: list[Groepering],
    van: str | None,
    tot: str | None,
    organisatie: str | None,
    drempel: int,
) -> dict[str, Any]:
    validate(groepeer_op, van, tot)
    filters = StatistiekFilter(
        groepeer_op=tuple(groepeer_op),
        van=van,
        tot=tot,
        organisatie=organisatie,
        bereik=_scope(caller),
    )
    groepen = []
    for row in await repository.tel(session, filters):
        aantal = int(row["aantal"])
        groep: dict[str, Any] = {g.value: row[g.value] for g in groepeer_op}
        onderdrukt = aantal < drempel
        groep["aantal"] = None if onderdrukt else aantal
        groep["onderdrukt"] = onderdrukt
        groepen.append(groep)
    return {"drempel": drempel, "groepen": groepen}


def as_csv(body: dict[str, Any], groepeer_op: list[Groepering]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*(g.value for g in groepeer_op), "aantal", "onderdrukt"])
    for groep in body["groepen"]:
        writer.writerow(
            [
                *(groep[g.value] for g in groepeer_op),
                "" if groep["aantal"] is None else groep["aantal"],
                "true" if groep["onderdrukt"] else "false",
            ]
        )
    return buffer.getvalue()
