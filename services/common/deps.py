"""Dependency aliases so endpoints read like prose: `session: SessionDep, caller: CallerDep`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from services.common.app_factory import ServiceState, service_state
from services.common.crypto import KeyRing
from services.common.principal import Principal, principal_from_state
from services.common.problems import DomainError, Forbidden


class Unauthenticated(DomainError):
    status = 401
    title = "Niet geauthenticeerd."

    def __init__(self) -> None:
        super().__init__(
            "Een geldig bearer-token is nodig.",
            headers={"WWW-Authenticate": 'Bearer realm="weerbaar"'},
        )


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with service_state(request).sessions() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


def _caller(request: Request) -> Principal:
    principal = principal_from_state(request.state)
    if principal is None:
        raise Unauthenticated()
    return principal


def _optional_caller(request: Request) -> Principal | None:
    return principal_from_state(request.state)


def _key_ring(request: Request) -> KeyRing:
    return service_state(request).key_ring


# scope="function": the commit happens before the response is sent, so a 201 is never
# answered for work that was not stored.
SessionDep = Annotated[AsyncSession, Depends(_session, scope="function")]
CallerDep = Annotated[Principal, Depends(_caller)]
OptionalCallerDep = Annotated[Principal | None, Depends(_optional_caller)]
KeyRingDep = Annotated[KeyRing, Depends(_key_ring)]
StateDep = Annotated[ServiceState, Depends(service_state)]


def require_roles(*roles: str) -> Callable[[Principal], Principal]:
    """403 for a caller holding none of `roles`: the role may never do this."""

    def check(caller: CallerDep) -> Principal:
        if not caller.has_role(*roles):
            raise Forbidden("Uw rol mag deze handeling niet uitvoeren.")
        return caller

    return check
