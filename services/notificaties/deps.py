"""Dependencies of notificaties: its settings and the caller's own subscription."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from services.common.app_factory import service_state
from services.common.deps import CallerDep, SessionDep
from services.notificaties.abonnement import service
from services.notificaties.abonnement.models import Abonnement
from services.notificaties.config import NotificatiesSettings

BEZORGER = "bezorger"


def wek_bezorger(request: Request) -> None:
    """Tell the deliverer of this process that something is due now (when it runs here)."""
    bezorger = service_state(request).extras.get(BEZORGER)
    if bezorger is not None:
        bezorger.wake()


def _settings(request: Request) -> NotificatiesSettings:
    settings = service_state(request).settings
    assert isinstance(settings, NotificatiesSettings)
    return settings


async def eigen_abonnement(
    abonnementId: uuid.UUID,  # noqa: N803  (the path parameter's name on the wire)
    caller: CallerDep,
    session: SessionDep,
) -> Abonnement:
    return await service.eigen(session, caller, abonnementId)


SettingsDep = Annotated[NotificatiesSettings, Depends(_settings)]
EigenAbonnement = Annotated[Abonnement, Depends(eigen_abonnement)]
