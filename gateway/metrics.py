"""Prometheus metrics of one gateway process, in a registry of its own.

Labels are bounded: route groups are names from the configuration, never
paths, subjects or query strings.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from gateway.breaker import BreakerState

LATENCY_BUCKETS = (
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    30.0,
)


class GatewayMetrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._children: dict[tuple[str, str, int], tuple[Any, Any, Any]] = {}
        self.requests = Counter(
            "gateway_requests",
            "Requests answered by the gateway.",
            ["route_group", "method", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "gateway_request_duration_seconds",
            "Time from request to response start, including the upstream.",
            ["route_group", "method"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.gateway_time = Histogram(
            "gateway_own_duration_seconds",
            "Time spent in the gateway itself (excluding the upstream).",
            ["route_group"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.upstream_errors = Counter(
            "gateway_upstream_errors",
            "Upstream calls that failed, by kind (connect, timeout, protocol, circuit_open).",
            ["upstream", "kind"],
            registry=self.registry,
        )
        self.breaker_state = Gauge(
            "gateway_circuit_breaker_state",
            "Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open.",
            ["upstream"],
            registry=self.registry,
        )
        self.ratelimit_refusals = Counter(
            "gateway_ratelimit_refusals",
            "Requests refused with 429.",
            ["route_group"],
            registry=self.registry,
        )
        self.ratelimit_backend = Gauge(
            "gateway_ratelimit_redis_up",
            "1 while rate limits are shared through Redis, 0 on the in-memory fallback.",
            registry=self.registry,
        )
        # The large-body budget (gateway.bodybudget): what is reserved now, and the refusals.
        self.body_buffer_bytes = Gauge(
            "gateway_body_buffer_bytes",
            "Bytes of large request bodies reserved in this process's budget.",
            registry=self.registry,
        )
        self.body_buffer_requests = Gauge(
            "gateway_body_buffer_requests",
            "Requests with a large body in flight in this process.",
            registry=self.registry,
        )
        self.body_buffer_refusals = Counter(
            "gateway_body_buffer_refusals",
            "Large bodies refused before they were read: budget (503) or caller (429).",
            ["reason"],
            registry=self.registry,
        )

    def breaker_changed(self, upstream: str, state: BreakerState) -> None:
        self.breaker_state.labels(upstream=upstream).set(int(state))

    def upstream_failed(self, upstream: str, kind: str) -> None:
        self.upstream_errors.labels(upstream=upstream, kind=kind).inc()

    def observe(
        self, route_group: str, method: str, status: int, seconds: float, own_seconds: float
    ) -> None:
        # The labelled children, looked up once per label set (labels() costs a lock and a
        # tuple of strings on every call); the label values are bounded, so is this.
        key = (route_group, method, status)
        children = self._children.get(key)
        if children is None:
            children = (
                self.requests.labels(route_group=route_group, method=method, status=str(status)),
                self.duration.labels(route_group=route_group, method=method),
                self.gateway_time.labels(route_group=route_group),
            )
            self._children[key] = children
        requests, duration, gateway_time = children
        requests.inc()
        duration.observe(seconds)
        gateway_time.observe(own_seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
