"""Settings of the development identity provider."""

from __future__ import annotations

from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.settings import DEV_ISSUER, Environment


class DevIdpSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WEERBAAR_", extra="ignore")

    env: Environment = Environment.development
    host: str = "127.0.0.1"
    port: int = 8010
    data_dir: Path = Path("var")
    log_level: str = "INFO"
    oidc_issuer: str = DEV_ISSUER
    oidc_audience: str = "weerbaar-api"
    devidp_clients_file: Path = Path(__file__).parent / "clients.dev.json"
    devidp_token_seconds: int = 3600

    @model_validator(mode="after")
    def _refuse_production(self) -> DevIdpSettings:
        if self.env is Environment.production:
            raise ValueError("the development identity provider never runs in production")
        return self

    @property
    def issuer(self) -> str:
        return self.oidc_issuer.rstrip("/")
