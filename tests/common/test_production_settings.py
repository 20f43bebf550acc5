"""Production refuses the shortcuts that make development easy."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from devidp.config import DevIdpSettings
from services.common.crypto import (
    KeyRingError,
    ensure_dev_key_file,
    generate_key_spec,
    load_key_ring,
)
from services.common.settings import CommonSettings, Environment, ServiceSettings

SAFE = {
    "env": "production",
    "database_url": "postgresql://meldingen_app:secret@db:5432/weerbaar",
    "oidc_issuer": "https://login.weerbaarbestuur.nl/realms/weerbaar",
    "data_keys": generate_key_spec("2026-11"),
    "public_base_url": "https://api.weerbaarbestuur.nl",
}


def test_safe_production_settings_are_accepted() -> None:
    settings = ServiceSettings(**SAFE)
    assert settings.is_production


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"database_url": None}, "PostgreSQL"),
        ({"database_url": "sqlite:///var/x.db"}, "PostgreSQL"),
        ({"oidc_issuer": "http://127.0.0.1:8010"}, "development issuer"),
        ({"data_keys": None}, "WEERBAAR_DATA_KEYS is required"),
        ({"public_base_url": None}, "WEERBAAR_PUBLIC_BASE_URL is required"),
        ({"data_keys": generate_key_spec("dev-1")}, "development key"),
        ({"oidc_algorithms": "RS256,HS256"}, "HS256"),
    ],
)
def test_production_refuses_unsafe_settings(override: dict[str, object], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        ServiceSettings(**{**SAFE, **override})


def test_production_never_falls_back_to_the_dev_key_file(tmp_path: Path) -> None:
    ensure_dev_key_file(tmp_path)  # a dev ring lying around must not be picked up
    settings = ServiceSettings.model_construct(
        **{**SAFE, "env": Environment.production, "data_keys": None, "data_dir": tmp_path}
    )
    with pytest.raises(KeyRingError, match="required in production"):
        load_key_ring(settings)


def test_dev_identity_provider_refuses_production() -> None:
    with pytest.raises(ValidationError, match="never runs in production"):
        DevIdpSettings(env="production")


def test_the_gateway_needs_no_database_or_data_keys_in_production() -> None:
    settings = CommonSettings(env="production", oidc_issuer=SAFE["oidc_issuer"])
    assert settings.is_production
