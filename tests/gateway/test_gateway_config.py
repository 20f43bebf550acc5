"""Gateway settings: upstreams, public routes, route groups, per-service timeouts."""

from __future__ import annotations

import pytest

from gateway.config import GatewaySettings


def test_an_empty_upstream_url_means_the_service_is_not_routed() -> None:
    settings = GatewaySettings(kennisbank_url="", meldingen_url="http://m:1/")
    assert settings.upstreams == {
        "meldingen": "http://m:1",
        "beveiliging": "http://127.0.0.1:8002",
        "notificaties": "http://127.0.0.1:8004",
    }


def test_public_routes_and_route_groups_come_from_method_and_path_patterns() -> None:
    settings = GatewaySettings()
    assert settings.is_public("GET", "/api/kennisbank/v1/zoeken")
    assert settings.is_public("GET", "/api/kennisbank/v1/artikelen/collectieve-norm")
    assert not settings.is_public("POST", "/api/kennisbank/v1/artikelen")
    assert not settings.is_public("GET", "/api/meldingen/v1/meldingen")
    assert settings.route_group("POST", "/api/meldingen/v1/meldingen", "meldingen") == (
        "meldingen-aanmaken"
    )
    assert settings.route_group("GET", "/api/meldingen/v1/meldingen", "meldingen") == "meldingen"
    assert settings.route_group("GET", "/api/meldingen/v1/statistieken", "meldingen") == (
        "statistieken"
    )
    assert settings.route_group("POST", "/api/notificaties/v1/abonnementen", "notificaties") == (
        "abonnementen-schrijven"
    )
    assert settings.route_group("GET", "/api/notificaties/v1/abonnementen", "notificaties") == (
        "notificaties"
    )


def test_public_routes_are_configurable_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WEERBAAR_PUBLIC_ROUTES", '["GET ^/api/beveiliging/v1/maatregelen$"]')
    settings = GatewaySettings()
    assert settings.is_public("GET", "/api/beveiliging/v1/maatregelen")
    assert not settings.is_public("GET", "/api/kennisbank/v1/zoeken")


def test_timeouts_can_differ_per_service() -> None:
    settings = GatewaySettings(
        upstream_read_timeout=15, upstream_timeouts={"kennisbank": {"read": 5, "total": 8}}
    )
    assert settings.timeouts_for("kennisbank").read == 5
    assert settings.timeouts_for("kennisbank").total == 8
    assert settings.timeouts_for("meldingen").read == 15
    with pytest.raises(ValueError, match="unknown"):
        GatewaySettings(upstream_timeouts={"x": {"reed": 1}}).timeouts_for("x")
