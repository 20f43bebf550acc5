"""The kennisbank's reach rules, as a table: who sees which status."""

from __future__ import annotations

import pytest

from services.common.principal import Principal
from services.kennisbank.artikel.enums import Status
from services.kennisbank.reach import visible_statuses

REDACTEUR = Principal(sub="r-1", roles=frozenset({"redacteur"}), org="OWB")
MELDER = Principal(sub="m-1", roles=frozenset({"melder"}), org="0363")

ALLE = (Status.concept, Status.gepubliceerd, Status.gearchiveerd)


@pytest.mark.parametrize(
    ("caller", "asked", "expected"),
    [
        (None, None, (Status.gepubliceerd,)),
        (None, Status.gepubliceerd, (Status.gepubliceerd,)),
        (None, Status.concept, ()),
        (None, Status.gearchiveerd, ()),
        (MELDER, None, (Status.gepubliceerd,)),
        (MELDER, Status.concept, ()),
        (REDACTEUR, None, ALLE),
        (REDACTEUR, Status.concept, (Status.concept,)),
        (REDACTEUR, Status.gearchiveerd, (Status.gearchiveerd,)),
    ],
)
def test_lists_hold_only_the_statuses_in_reach(
    caller: Principal | None, asked: Status | None, expected: tuple[Status, ...]
) -> None:
    assert visible_statuses(caller, asked) == expected
