"""The large-body budget's bookkeeping (gateway.bodybudget); the e2e side is in
tests/security/test_api4_gateway_body_budget.py."""

from __future__ import annotations

import pytest

from gateway.bodybudget import BodyBudget, BodyBudgetFull, CallerBusy
from gateway.metrics import GatewayMetrics


def _gauge(metrics: GatewayMetrics, name: str) -> float:
    value = metrics.registry.get_sample_value(name)
    assert value is not None
    return value


def test_a_chunked_body_reserves_as_it_grows_and_is_refused_past_the_budget() -> None:
    metrics = GatewayMetrics()
    budget = BodyBudget(max_bytes=100, per_caller=2, metrics=metrics)
    first = budget.reserve("ip:a", 60)
    chunked = budget.reserve("ip:b", 0)
    chunked.grow(30)
    chunked.grow(20)  # no more than it already holds: nothing changes
    assert budget.reserved == 90
    with pytest.raises(BodyBudgetFull):
        chunked.grow(41)
    assert budget.reserved == 90
    assert _gauge(metrics, "gateway_body_buffer_bytes") == 90
    first.release()
    first.release()  # idempotent
    chunked.release()
    assert budget.reserved == 0
    assert budget.in_flight == 0
    assert _gauge(metrics, "gateway_body_buffer_requests") == 0
    refused = metrics.registry.get_sample_value(
        "gateway_body_buffer_refusals_total", {"reason": "budget"}
    )
    assert refused == 1


def test_a_caller_past_its_share_is_refused_before_the_budget_is_looked_at() -> None:
    budget = BodyBudget(max_bytes=10, per_caller=1)
    held = budget.reserve("p:one", 10)
    with pytest.raises(CallerBusy):
        budget.reserve("p:one", 1)
    with pytest.raises(BodyBudgetFull):
        budget.reserve("p:two", 1)
    held.release()
    budget.reserve("p:one", 10).release()
    assert budget.reserved == 0
