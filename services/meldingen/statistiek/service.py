"""Figures that survive subtraction: cell-key perturbation on rollups, no small groups listed.

Every grouping first sums rollup rows (or, for a grouping no rollup covers, scans the
meldingen: the same count and key sum), then perturbs each group once: the same set of
meldingen always gets the same published value, whatever query reached it (DESIGN.md part D).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.common.db import DatabaseTarget, run_in_session
from services.common.principal import Principal
from services.common.problems import Forbidden, InvalidInput, InvalidParam
from services.meldingen.melding.enums import NATIONAL_TEAM, Rol
from services.meldingen.melding.repository import Bereik
from services.meldingen.statistiek import repository, rollup
from services.meldingen.statistiek.enums import Groepering
from services.meldingen.statistiek.repository import StatistiekFilter
from services.meldingen.statistiek.ruis import METHODE, gepubliceerd
from services.meldingen.statistiek.schemas import StatistiekGroep, StatistiekOut


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


def validate(
    groepeer_op: list[Groepering],
    van: str | None,
    tot: str | None,
    *,
    organisatie: str | None = None,
    analist: bool = True,
) -> None:
    problems: list[InvalidParam] = []
    per_functie = Groepering.functie in groepeer_op
    # An analyst's organisation filter with functie is the organisation x function table.
    if per_functie and (
        Groepering.organisatie in groepeer_op or (analist and organisatie is not None)
    ):
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


def publiceer(
    rows: Sequence[Any], groepeer_op: list[Groepering] | tuple[Groepering, ...], drempel: int
) -> list[StatistiekGroep]:
    """Perturb each group; a group below `drempel` (before or after) is left out entirely.

    Only the grouped fields are set: the others stay unset, and the route leaves them out
    (`response_model_exclude_unset`), as the document says ("alleen bij groepeerOp=…").
    """
    groepen = []
    for row in rows:
        waarde = gepubliceerd(int(row["aantal"]), int(row["sleutelsom"]), drempel)
        if waarde is None:
            continue
        groepen.append(
            StatistiekGroep(
                **{g.value: row[g.value] for g in groepeer_op},
                aantal=waarde,
                onderdrukt=False,  # kept for v1 clients; a suppressed group is not listed
            )
        )
    return groepen


async def statistieken(
    session: AsyncSession,
    *,
    caller: Principal,
    groepeer_op: list[Groepering],
    van: str | None,
    tot: str | None,
    organisatie: str | None,
    drempel: int,
) -> StatistiekOut:
    validate(groepeer_op, van, tot, organisatie=organisatie, analist=caller.has_role(Rol.analist))
    filters = StatistiekFilter(
        groepeer_op=tuple(groepeer_op),
        van=van,
        tot=tot,
        organisatie=organisatie,
        bereik=_scope(caller),
    )
    bron = rollup.kies(groepeer_op, niveau=filters.niveau)
    rows = await repository.tel(session, filters, bron)
    return StatistiekOut(
        drempel=drempel, methode=METHODE, groepen=publiceer(rows, groepeer_op, drempel)
    )


def as_csv(out: StatistiekOut, groepeer_op: list[Groepering]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*(g.value for g in groepeer_op), "aantal", "onderdrukt", "methode"])
    for groep in out.groepen:
        writer.writerow(
            [
                *(getattr(groep, g.value) for g in groepeer_op),
                groep.aantal,
                "true" if groep.onderdrukt else "false",
                out.methode,
            ]
        )
    return buffer.getvalue()


# ---- maintenance ------------------------------------------------------------------------------


async def herbouw(session: AsyncSession) -> dict[str, int]:
    """Recompute the rollups from the meldingen (and give any melding without one a key)."""
    return await repository.herbouw(session)


async def rond_anonimisering(
    session: AsyncSession, melding_ids: list[Any], anonimiseer: Callable[[], Any]
) -> Any:
    """Run retention's anonymisation with the rollups kept: take the meldingen out, let it
    change them, count them in again — so whatever it changes, the figures stay right."""
    await repository.verschuif(session, melding_ids, -1)
    result = await anonimiseer()
    await repository.verschuif(session, melding_ids, 1)
    return result


async def run_herbouw(target: DatabaseTarget) -> dict[str, int]:
    return await run_in_session(target, herbouw)
