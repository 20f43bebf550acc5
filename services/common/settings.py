"""Typed settings shared by every process; each service extends them in its config.py.

A secret setting (marked `FromFile`) can also be given as a file: `WEERBAAR_DATA_KEYS_FILE=/run/
secrets/keys` instead of `WEERBAAR_DATA_KEYS=...`, as Kubernetes and Docker mount secrets. The
file is read once, when the settings are built at start; one trailing newline is dropped. Both
the variable and its `_FILE` set, or a file that cannot be read, stop the process with an error
that names the variable (never the value).
"""

from __future__ import annotations

import os
from enum import StrEnum
from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

DEV_ISSUER = "http://127.0.0.1:8010"
DEV_KEY_ID_PREFIX = "dev-"
DEV_PUBLIC_BASE_URL = "http://127.0.0.1:8000"  # make run's gateway


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class FromFile:
    """Marks a secret setting: `Annotated[str | None, FROM_FILE]` also reads `<NAME>_FILE`."""


FROM_FILE = FromFile()
FILE_SUFFIX = "_FILE"


class SecretFileError(ValueError):
    """A `*_FILE` setting that cannot be used; the message names the variable, not the value."""


def _read_secret(variable: str, path: str) -> str:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SecretFileError(f"{variable}={path}: cannot read ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SecretFileError(f"{variable}={path}: not UTF-8 text") from exc
    # Editors and `kubectl create secret --from-file` leave one newline at the end.
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith("\n"):
        text = text[:-1]
    if not text.strip():
        raise SecretFileError(f"{variable}={path}: the file is empty")
    return text


class SecretFileSource(PydanticBaseSettingsSource):
    """`WEERBAAR_<NAME>_FILE` for every field marked `FromFile`: the file's content is the value."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # __call__ does the work for all fields at once

    def __call__(self) -> dict[str, Any]:
        prefix = str(self.config.get("env_prefix", ""))
        environ = {key.upper(): value for key, value in os.environ.items()}
        values: dict[str, Any] = {}
        for name, field in self.settings_cls.model_fields.items():
            if not any(isinstance(meta, FromFile) for meta in field.metadata):
                continue
            variable = f"{prefix}{name}".upper()
            path = environ.get(variable + FILE_SUFFIX)
            if path is None:
                continue
            if variable in environ:
                raise SecretFileError(
                    f"both {variable} and {variable}{FILE_SUFFIX} are set: set one of them"
                )
            values[name] = _read_secret(variable + FILE_SUFFIX, path)
        return values


class SecretFileSettings(BaseSettings):
    """Base of every process's settings: environment, then `*_FILE` for the secret fields."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            SecretFileSource(settings_cls),
            dotenv_settings,
            file_secret_settings,
        )


Secret = Annotated[str | None, FROM_FILE]


class CommonSettings(SecretFileSettings):
    """Settings every process reads (identity, limits). Environment variables: `WEERBAAR_*`."""

    model_config = SettingsConfigDict(
        env_prefix="WEERBAAR_", extra="ignore", use_attribute_docstrings=True
    )

    env: Environment = Environment.development
    """`development`, `test` or `production`; production refuses the development issuer, SQLite,
    development keys and unsafe algorithms."""
    host: str = "127.0.0.1"
    """Address the process listens on."""
    port: int = 8000
    """Port the process listens on (each service has its own default)."""
    data_dir: Path = Path("var")
    """Directory for SQLite files, the development key ring and the development IdP's signing
    key."""
    log_level: str = "INFO"
    """Log level of the JSON log (`DEBUG`, `INFO`, `WARNING`, `ERROR`)."""

    oidc_issuer: str = DEV_ISSUER
    """The one trusted token issuer (`iss`)."""
    oidc_audience: str = "weerbaar-api"
    """The audience (`aud`) every token must carry."""
    oidc_discovery_url: str | None = None
    """Where the OpenID discovery document is fetched (set it when the internal address
    differs); unset: `<issuer>/.well-known/openid-configuration`."""
    oidc_jwks_url: str | None = None
    """Override of the discovery document's `jwks_uri`."""
    oidc_algorithms: Annotated[list[str], NoDecode] = Field(default=["RS256", "ES256"])
    """Allowed token signature algorithms, comma-separated; production allows only RS256 and
    ES256."""
    oidc_roles_claim: str = "roles"
    """Dotted path of the roles claim (Keycloak: `realm_access.roles`)."""
    oidc_org_claim: str = "org"
    """Claim holding the caller's organisation code."""
    oidc_leeway_seconds: int = 30
    """Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds."""
    jwks_cache_seconds: int = 300
    """How long fetched signing keys are trusted before they are fetched again."""
    jwks_cooldown_seconds: int = 30
    """Least time between two key fetches triggered by an unknown key id."""

    max_body_bytes: int = 1024 * 1024
    """Largest request body accepted; beyond it 413."""
    body_read_timeout: float = 10.0
    """Seconds a client may take per body chunk; else 408 and the connection closed."""
    body_total_timeout: float = 60.0
    """Seconds a client may take for its whole body; else 408 and the connection closed."""
    max_header_bytes: int = 32 * 1024
    """Largest request head (request line plus header fields); beyond it 431
    (`services/common/serving.py`)."""
    max_headers: int = 100
    """Most header fields in one request; beyond it 431."""
    header_read_timeout: float = 10.0
    """Seconds from connecting (or a request's first byte) until its head is complete; else 408
    and closed."""
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Origins allowed by CORS, comma-separated; empty: none."""
    public_base_url: str | None = None
    """The URL clients reach the API under (the gateway's), e.g.
    `https://api.weerbaar.example[/prefix]`; every link (`Location`, `next`, an event's
    `dataref`) is built from it. Required for services in production."""
    forwarded_allow_ips: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["127.0.0.1", "::1"]
    )
    """Peers (addresses, CIDRs, `*` for any) whose `X-Forwarded-Host/-Proto/-Prefix` build the
    links when no public base URL is set; from anyone else they are ignored."""

    @model_validator(mode="before")
    @classmethod
    def _split_lists(cls, data: object) -> object:
        if isinstance(data, dict):
            for key in ("oidc_algorithms", "cors_origins", "forwarded_allow_ips"):
                if key in data:
                    data[key] = _split_csv(data[key])
        return data

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for item in value:
            if item != "*":
                ip_network(item, strict=False)  # ValueError names the bad entry
        return value

    @field_validator("public_base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ValueError(
                f"WEERBAAR_PUBLIC_BASE_URL {value!r}: expected http(s)://host[/prefix]"
            )
        return value.rstrip("/")

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> CommonSettings:
        if self.env is not Environment.production:
            return self
        problems = []
        if self.oidc_issuer.rstrip("/") == DEV_ISSUER:
            problems.append("WEERBAAR_OIDC_ISSUER is the development issuer")
        unsafe = {alg for alg in self.oidc_algorithms if alg not in {"RS256", "ES256"}}
        if unsafe:
            problems.append(f"WEERBAAR_OIDC_ALGORITHMS allows {sorted(unsafe)}")
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self

    @property
    def is_production(self) -> bool:
        return self.env is Environment.production

    @property
    def discovery_url(self) -> str:
        if self.oidc_discovery_url:
            return self.oidc_discovery_url
        return self.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration"


class ServiceSettings(CommonSettings):
    """What a service adds: its database and the data-encryption keys."""

    database_url: Secret = None
    """The runtime role's database URL (`postgresql://user:pw@host:port/db`, the `<service>_app`
    role); unset: SQLite under the data directory. Production requires PostgreSQL."""
    migration_database_url: Secret = None
    """The owner role's URL (`<service>_owner`), used by `migrate`; unset: the database URL."""
    db_pool_size: int = 10
    """Connections in the database pool of one process."""
    data_keys: Secret = None
    """The data-encryption key ring, `kid:base64(32 bytes),...`; the first key encrypts. Unset
    outside production: a development ring in the data directory."""

    nats_url: str = "nats://127.0.0.1:8020"
    """NATS JetStream server the outbox relay publishes events to (DESIGN.md part D)."""
    outbox_relay: bool = True
    """Run the outbox relay inside the service process; false when `python -m services.<svc>
    relay` runs apart."""
    outbox_notify: bool | None = None
    """Send a PostgreSQL NOTIFY per commit to wake the relay; unset: only when the relay runs
    apart."""
    outbox_batch_size: int = Field(default=100, ge=1, le=1000)
    """Outbox rows the relay claims per batch."""
    outbox_poll_seconds: float = Field(default=30.0, gt=0)
    """Fallback poll interval of the relay, for rows written by other replicas."""
    outbox_prune_seconds: int = Field(default=7 * 24 * 3600, ge=0)
    """Published outbox rows are deleted after this many seconds."""
    outbox_publish_timeout_seconds: float = Field(default=5.0, gt=0)
    """Seconds the relay waits for JetStream to acknowledge one event."""
    relay_backoff_min_seconds: float = Field(default=0.2, gt=0)
    """Shortest wait of the relay between attempts while NATS is unreachable."""
    relay_backoff_max_seconds: float = Field(default=30.0, gt=0)
    """Longest wait of the relay between attempts while NATS is unreachable (exponential backoff
    up to it)."""

    @property
    def event_base_url(self) -> str:
        """Where an event's `dataref` points: the gateway (make run's outside production)."""
        return self.public_base_url or DEV_PUBLIC_BASE_URL

    @model_validator(mode="after")
    def _refuse_unsafe_storage(self) -> ServiceSettings:
        if self.env is not Environment.production:
            return self
        problems = []
        if not self.database_url or not self.database_url.startswith("postgresql"):
            problems.append("WEERBAAR_DATABASE_URL(_FILE) must point at PostgreSQL")
        if not self.public_base_url:
            problems.append("WEERBAAR_PUBLIC_BASE_URL is required (links and events' dataref)")
        if not self.data_keys:
            problems.append("WEERBAAR_DATA_KEYS is required (or WEERBAAR_DATA_KEYS_FILE)")
        elif any(part.strip().startswith(DEV_KEY_ID_PREFIX) for part in self.data_keys.split(",")):
            problems.append("WEERBAAR_DATA_KEYS(_FILE) holds a development key")
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self
