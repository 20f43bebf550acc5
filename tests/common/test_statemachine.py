"""The common state machine: its table, the two questions in order, and the one 409 problem."""

from __future__ import annotations

from enum import StrEnum

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from services.common.problems import install_problem_handlers
from services.common.statemachine import InvalidTransition, StateMachine


class State(StrEnum):
    NEW = "new"
    ACTIVE = "active"
    DONE = "done"
    CANCELLED = "cancelled"


class Actor(StrEnum):
    OWNER = "owner"
    WORKER = "worker"


MACHINE: StateMachine[State, Actor] = StateMachine(
    transitions={
        State.NEW: frozenset({State.ACTIVE, State.CANCELLED}),
        State.ACTIVE: frozenset({State.DONE, State.CANCELLED}),
        State.DONE: frozenset({State.ACTIVE}),
        State.CANCELLED: frozenset(),
    },
    initial=State.NEW,
    requesters={State.CANCELLED: frozenset({Actor.OWNER, Actor.WORKER})},
    default_requesters=frozenset({Actor.WORKER}),
)
ALLOWED = {
    (State.NEW, State.ACTIVE),
    (State.NEW, State.CANCELLED),
    (State.ACTIVE, State.DONE),
    (State.ACTIVE, State.CANCELLED),
    (State.DONE, State.ACTIVE),
}


@pytest.mark.parametrize("current", list(State))
@pytest.mark.parametrize("target", list(State))
def test_every_pair_follows_the_table(current: State, target: State) -> None:
    allowed = (current, target) in ALLOWED
    assert MACHINE.may_move(current, target) is allowed
    if allowed:
        MACHINE.ensure_move(current, target)
    else:
        with pytest.raises(InvalidTransition) as raised:
            MACHINE.ensure_move(current, target)
        assert raised.value.detail == f"Van {current} naar {target} kan niet."


def test_requesters_per_target_with_a_default() -> None:
    assert MACHINE.may_request([Actor.OWNER], State.CANCELLED)
    assert not MACHINE.may_request([Actor.OWNER], State.ACTIVE)
    assert MACHINE.may_request([Actor.OWNER, Actor.WORKER], State.ACTIVE)
    assert not MACHINE.may_request([], State.CANCELLED)


def test_a_machine_without_requesters_refuses_every_actor() -> None:
    plain: StateMachine[State, str] = StateMachine(
        transitions={s: frozenset() for s in State}, initial=State.NEW
    )
    assert not plain.may_request(["anyone"], State.DONE)
    assert plain.final_states() == set(State)


def test_the_table_as_data() -> None:
    assert set(MACHINE.pairs()) == ALLOWED
    assert MACHINE.final_states() == {State.CANCELLED}
    assert MACHINE.states == set(State)
    assert MACHINE.targets(State.NEW) == {State.ACTIVE, State.CANCELLED}
    description = MACHINE.describe()
    assert description.count("\n") == len(ALLOWED) + 1
    assert "| `new` | `cancelled` | owner, worker |" in description
    assert "| `new` | `active` | worker |" in description


def test_a_custom_detail() -> None:
    with pytest.raises(InvalidTransition, match="niet toegestaan"):
        MACHINE.ensure_move(State.CANCELLED, State.NEW, detail="Dit is niet toegestaan.")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"transitions": {State.NEW: frozenset({State.DONE})}, "initial": State.NEW},
        {"transitions": {State.NEW: frozenset()}, "initial": State.DONE},
        {
            "transitions": {State.NEW: frozenset()},
            "initial": State.NEW,
            "requesters": {State.DONE: frozenset({Actor.OWNER})},
        },
    ],
)
def test_a_table_naming_unknown_states_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="state"):
        StateMachine[State, Actor](**kwargs)  # type: ignore[arg-type]


def test_a_refused_move_is_the_409_problem_the_services_answer() -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things/{state}")
    async def move(state: State) -> dict[str, str]:
        MACHINE.ensure_move(state, State.NEW)
        return {}

    with TestClient(app) as client:
        response = client.post("/things/done")
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == "urn:weerbaar:probleem:ongeldige-statusovergang"
    assert body["title"] == "Deze statusovergang is niet toegestaan."
    assert body["detail"] == "Van done naar new kan niet."
