"""Chained dependencies of the home-scan endpoints: role (403) → valid id → reach (404).

The role for a status move depends on its target, which is in the body; FastAPI validates
the body only after the dependencies, so `caller_for_target` reads the target from the
already-received JSON and hands it to the service, where the rule lives.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import Request

from services.beveiliging.dependencies import ScanRolDep, parse_id
from services.beveiliging.woningscan import service
from services.beveiliging.woningscan.models import Woningscan
from services.common.deps import SessionDep
from services.common.principal import Principal


async def woningscan_in_reach(
    session: SessionDep, caller: ScanRolDep, woningscan_id: str
) -> Woningscan:
    scan_id = parse_id(woningscan_id, "De woningscan")
    return await service.in_bereik_of_404(session=session, caller=caller, scan_id=scan_id)


WoningscanInReach = Annotated[Woningscan, Depends(woningscan_in_reach)]


async def caller_for_target(request: Request, caller: ScanRolDep) -> Principal:
    """403 before reach (404) and before the body (400): see `service.ensure_may_ask_for`."""
    try:
        body = await request.json()
    except ValueError:  # empty or not JSON: the body validation that follows answers 400
        body = None
    target = body.get("status") if isinstance(body, dict) else None
    service.ensure_may_ask_for(caller, target)
    return caller
