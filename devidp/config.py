"""Settings of the development identity provider."""

from __future__ import annotations

from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.settings import DEV_ISSUER, Environment


class DevIdpSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="WEERBAAR_", extra="ignore", use_attribute_docstrings=True
    )

    env: Environment = Environment.development
    """The development IdP refuses to start when this is `production`."""
    host: str = "127.0.0.1"
    """Address the development IdP listens on."""
    port: int = 8010
    """Port the development IdP listens on."""
    data_dir: Path = Path("var")
    """Directory holding the development IdP's signing key."""
    log_level: str = "INFO"
    """Log level."""
    oidc_issuer: str = DEV_ISSUER
    """The issuer (`iss`) the development IdP puts in its tokens."""
    oidc_audience: str = "weerbaar-api"
    """The audience (`aud`) the development IdP puts in its tokens."""
    devidp_clients_file: Path = Path(__file__).parent / "clients.dev.json"
    """JSON file of the development IdP's clients (client credentials grant)."""
    devidp_token_seconds: int = 3600
    """Lifetime of the tokens the development IdP issues."""

    @model_validator(mode="after")
    def _refuse_production(self) -> DevIdpSettings:
        if self.env is Environment.production:
            raise ValueError("the development identity provider never runs in production")
        return self

    @property
    def issuer(self) -> str:
        return self.oidc_issuer.rstrip("/")
