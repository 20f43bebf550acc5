"""Chained dependencies of the home-scan endpoints: role (403) → valid id → reach (404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from services.beveiliging.dependencies import ScanRolDep, parse_id
from services.beveiliging.woningscan import service
from services.beveiliging.woningscan.models import Woningscan
from services.common.deps import SessionDep


async def woningscan_in_reach(
    session: SessionDep, caller: ScanRolDep, woningscan_id: str
) -> Woningscan:
    scan_id = parse_id(woningscan_id, "De woningscan")
    return await service.in_bereik_of_404(session=session, caller=caller, scan_id=scan_id)


WoningscanInReach = Annotated[Woningscan, Depends(woningscan_in_reach)]
