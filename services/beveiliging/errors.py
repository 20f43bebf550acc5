"""The domain errors of beveiliging; each carries its status and problem code.

A refused status move is the common `services.common.statemachine.InvalidTransition`.
"""

from __future__ import annotations

from services.common.problems import Conflict, Forbidden, InvalidInput, InvalidParam, NotFound


class VoorwaardeNietVervuld(Conflict):
    code = "voorwaarde-niet-vervuld"
    title = "De toestand staat deze overgang nog niet toe."


class BestaatAl(Conflict):
    code = "bestaat-al"
    title = "Dit bestaat al."


class NietGevonden(NotFound):
    def __init__(self, wat: str = "De resource") -> None:
        super().__init__(f"{wat} bestaat niet of valt buiten uw bereik.")


class GeenToegang(Forbidden):
    def __init__(self, detail: str = "Uw rol mag deze handeling niet uitvoeren.") -> None:
        super().__init__(detail)


def ongeldig(*params: tuple[str, str, str]) -> InvalidInput:
    """A 400 listing every problem: (name, code, reason) per parameter."""
    lijst = [InvalidParam(name=n, code=c, reason=r) for n, c, r in params]
    return InvalidInput("Zie invalidParams voor elk probleem.", invalid_params=lijst)
