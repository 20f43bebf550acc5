"""Development OIDC issuer: discovery, JWKS, client_credentials and `POST /dev/token`.

Never for production: its settings refuse `WEERBAAR_ENV=production`.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from jose import jwk, jwt
from pydantic import BaseModel, ConfigDict, Field

from devidp.config import DevIdpSettings
from devidp.keys import KEY_DIR_NAME, KeyStore
from services.common.auth import ORGANISATION_PATTERN, SUBJECT_PATTERN, is_organisation
from services.common.logging import configure_logging
from services.common.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from services.common.problems import install_problem_handlers, problem_response

# The verifier's own patterns: the dev issuer never mints a token the services would refuse.
ORG_PATTERN = f"^{ORGANISATION_PATTERN}$"
SUB_PATTERN = f"^{SUBJECT_PATTERN}$"


class DevTokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sub: str = Field(min_length=1, max_length=255, pattern=SUB_PATTERN)
    roles: list[str] = Field(default_factory=list, max_length=20)
    org: str | None = Field(default=None, pattern=ORG_PATTERN)
    name: str | None = Field(default=None, max_length=200)
    expires_in: int | None = Field(default=None, alias="expiresIn", ge=1, le=86400)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret
    expires_in: int


def _sign(store: KeyStore, settings: DevIdpSettings, claims: dict[str, Any], ttl: int) -> str:
    now = int(time.time())
    payload = {
        "iss": settings.issuer,
        "aud": settings.oidc_audience,
        "iat": now,
        "nbf": now,
        "exp": now + ttl,
        "jti": str(uuid.uuid4()),
        **claims,
    }
    key = store.current
    # The loaded key object: parsing the PEM again costs ~100 ms per token.
    signer = jwk.construct(key.private_key, "RS256")  # type: ignore[arg-type]  # stubs lag
    return jwt.encode(payload, signer, algorithm="RS256", headers={"kid": key.kid})


def _load_clients(settings: DevIdpSettings) -> dict[str, dict[str, Any]]:
    data = json.loads(settings.devidp_clients_file.read_text(encoding="utf-8"))
    for client in data["clients"]:
        org = client.get("org")
        if org is not None and not is_organisation(org):
            raise ValueError(f"client {client['clientId']!r}: org {org!r} is no organisation code")
    return {client["clientId"]: client for client in data["clients"]}


def _client_credentials(request: Request, form: dict[str, list[str]]) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:]).decode()
        except ValueError:
            return None
        client_id, _, secret = decoded.partition(":")
        return client_id, secret
    if "client_id" in form and "client_secret" in form:
        return form["client_id"][0], form["client_secret"][0]
    return None


def _client_credentials_token(
    request: Request,
    form: dict[str, list[str]],
    clients: dict[str, dict[str, Any]],
    store: KeyStore,
    settings: DevIdpSettings,
) -> JSONResponse:
    """The client credentials grant: a token for a registered client, else an OAuth error."""
    if form.get("grant_type", [""])[0] != "client_credentials":
        return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
    credentials = _client_credentials(request, form)
    client = clients.get(credentials[0]) if credentials else None
    if (
        credentials is None
        or client is None
        or not secrets.compare_digest(credentials[1], client["clientSecret"])
    ):
        return JSONResponse(
            {"error": "invalid_client"},
            status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="devidp"'},
        )
    ttl = settings.devidp_token_seconds
    claims = {
        "sub": f"client:{client['clientId']}",
        "client_id": client["clientId"],
        "roles": client.get("roles", []),
        "org": client.get("org"),
        "name": client.get("name"),
    }
    access_token = _sign(store, settings, claims, ttl)
    return JSONResponse(TokenResponse(access_token=access_token, expires_in=ttl).model_dump())


def create_app(settings: DevIdpSettings | None = None) -> FastAPI:
    settings = settings or DevIdpSettings()
    configure_logging("devidp", settings.log_level)
    clients = _load_clients(settings)
    store_holder: dict[str, KeyStore] = {}

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        store_holder["store"] = KeyStore(settings.data_dir / KEY_DIR_NAME)
        yield

    app = FastAPI(
        title="Weerbaar Bestuur dev identity provider",
        lifespan=lifespan,
        redirect_slashes=False,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    install_problem_handlers(app)

    def store() -> KeyStore:
        return store_holder["store"]

    @app.get("/.well-known/openid-configuration")
    async def discovery() -> dict[str, Any]:
        return {
            "issuer": settings.issuer,
            "jwks_uri": f"{settings.issuer}/jwks",
            "token_endpoint": f"{settings.issuer}/token",
            "grant_types_supported": ["client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["token"],
            "subject_types_supported": ["public"],
        }

    @app.get("/jwks")
    async def jwks() -> dict[str, Any]:
        return store().jwks()

    @app.post("/token")
    async def token(request: Request) -> JSONResponse:
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        return _client_credentials_token(request, form, clients, store(), settings)

    @app.post("/dev/token")
    async def dev_token(body: DevTokenRequest) -> TokenResponse:
        ttl = body.expires_in or settings.devidp_token_seconds
        claims = {"sub": body.sub, "roles": body.roles, "org": body.org, "name": body.name}
        return TokenResponse(access_token=_sign(store(), settings, claims, ttl), expires_in=ttl)

    @app.post("/dev/keys/rotate")
    async def rotate() -> dict[str, str]:
        """A new signing key; the old ones stay in the JWKS (for rotation drills and tests)."""
        return {"kid": store().rotate().kid}

    @app.get("/health/live")
    @app.get("/health/ready")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.exception_handler(ValueError)
    async def _value_error(_request: Request, _exc: ValueError) -> JSONResponse:
        return problem_response(400)

    app.add_middleware(BodySizeLimitMiddleware, max_bytes=64 * 1024)
    app.add_middleware(RequestContextMiddleware)
    return app
