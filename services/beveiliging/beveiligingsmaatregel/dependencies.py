"""Chained dependencies of the measure endpoints: role (403) → valid id → reach (404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.beveiliging.beveiligingsmaatregel import service
from services.beveiliging.beveiligingsmaatregel.models import Beveiligingsmaatregel
from services.beveiliging.dependencies import ScanRolDep, parse_id
from services.common.deps import SessionDep


async def maatregel_in_reach(
    session: SessionDep, caller: ScanRolDep, maatregel_id: str
) -> Beveiligingsmaatregel:
    return await service.in_bereik_of_404(
        session=session,
        caller=caller,
        maatregel_id=parse_id(maatregel_id, "De beveiligingsmaatregel"),
    )


MaatregelInReach = Annotated[Beveiligingsmaatregel, Depends(maatregel_in_reach)]
