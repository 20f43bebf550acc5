"""Bearer token verification: the only module that knows python-jose.

DESIGN.md's rules: explicit algorithm allow-list (never the token's word), key chosen by
`kid` from the issuer's JWKS, required iss/aud/exp/iat/sub, nbf when present, 30 s leeway.
The JWKS is cached with a TTL, refetched on an unknown kid at most once per cooldown and
kept while the issuer is unreachable.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from typing import Any

import httpx
from jose import jwt
from jose.exceptions import JOSEError

from services.common.principal import Principal
from services.common.settings import CommonSettings

logger = logging.getLogger("weerbaar.auth")

_KEY_TYPES = {"RS256": "RSA", "ES256": "EC"}
_SAFE_ALGORITHMS = frozenset(_KEY_TYPES)

# DESIGN.md "Roles and tenancy": GM + 4 digits, PV + 2, WS + 4, and OWB. One pattern for the
# verifier and the dev identity provider; fullmatch, so "GM0363\n" is not a code either.
ORGANISATION_PATTERN = r"(GM[0-9]{4}|PV[0-9]{2}|WS[0-9]{4}|OWB)"
_ORGANISATION = re.compile(ORGANISATION_PATTERN)
# What the services store as a person's subject: no whitespace or control characters
# (PostgreSQL text cannot even hold NUL), at most 255 characters.
SUBJECT_CHARACTER = r"[^\s\x00-\x1f\x7f]"
SUBJECT_MAX_LENGTH = 255
SUBJECT_PATTERN = f"{SUBJECT_CHARACTER}{{1,{SUBJECT_MAX_LENGTH}}}"
_SUBJECT = re.compile(SUBJECT_PATTERN)
_TIME_CLAIMS = ("exp", "iat", "nbf")


def is_organisation(value: object) -> bool:
    return isinstance(value, str) and _ORGANISATION.fullmatch(value) is not None


class InvalidToken(Exception):
    """The token is not acceptable; the reason is for logs, never for the client."""

    # What the 401 may tell the client: only for claims of a correctly signed token, never
    # which check of the signature failed.
    public_detail: str | None = None


class InvalidClaims(InvalidToken):
    """Signed by the issuer, but a claim is malformed: the client may learn which one."""

    def __init__(self, reason: str, public_detail: str) -> None:
        super().__init__(reason)
        self.public_detail = public_detail


class JwksCache:
    """The issuer's signing keys by kid."""

    def __init__(self, settings: CommonSettings, client: httpx.AsyncClient | None = None) -> None:
        self._settings = settings
        self._client = client
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at: float | None = None
        self._last_attempt = float("-inf")
        self._lock = asyncio.Lock()

    @property
    def loaded(self) -> bool:
        return bool(self._keys)

    async def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=httpx.Timeout(5.0))
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def _fetch(self) -> None:
        client = await self._http()
        jwks_url = self._settings.oidc_jwks_url
        if not jwks_url:
            discovery = await client.get(self._settings.discovery_url)
            discovery.raise_for_status()
            jwks_url = str(discovery.json()["jwks_uri"])
        response = await client.get(jwks_url)
        response.raise_for_status()
        keys = {
            str(key["kid"]): key
            for key in response.json().get("keys", [])
            if isinstance(key, dict) and key.get("kid") and key.get("use", "sig") == "sig"
        }
        self._keys = keys
        self._fetched_at = time.monotonic()

    async def warm_up(self, seconds: float = 3.0) -> None:
        """Try to load keys at start, but never hold startup hostage to the issuer."""
        try:
            await asyncio.wait_for(self.refresh(force=True), seconds)
        except TimeoutError:
            logger.warning("jwks not loaded at startup", extra={"reason": "timeout"})

    async def refresh(self, *, force: bool = False) -> None:
        """Fetch keys unless within the cooldown; keep the old ones when the issuer is down."""
        async with self._lock:
            now = time.monotonic()
            if not force and now - self._last_attempt < self._settings.jwks_cooldown_seconds:
                return
            self._last_attempt = now
            try:
                await self._fetch()
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                logger.warning("jwks fetch failed", extra={"error_type": type(exc).__name__})

    def _stale(self) -> bool:
        return (
            self._fetched_at is None
            or time.monotonic() - self._fetched_at > self._settings.jwks_cache_seconds
        )

    async def key(self, kid: str) -> dict[str, Any] | None:
        if self._stale():
            await self.refresh()
        if kid not in self._keys:
            await self.refresh()
        return self._keys.get(kid)


def _claim(claims: dict[str, Any], dotted: str) -> Any:
    value: Any = claims
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


class TokenVerifier:
    def __init__(self, settings: CommonSettings, jwks: JwksCache | None = None) -> None:
        self.settings = settings
        self.jwks = jwks or JwksCache(settings)
        self.algorithms = [a for a in settings.oidc_algorithms if a in _SAFE_ALGORITHMS]

    @property
    def ready(self) -> bool:
        return self.jwks.loaded

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except JOSEError as exc:
            raise InvalidToken("unreadable header") from exc
        alg = header.get("alg")
        kid = header.get("kid")
        if alg not in self.algorithms:
            raise InvalidToken("algorithm not allowed")
        if not isinstance(kid, str) or not kid:
            raise InvalidToken("no kid")
        key = await self.jwks.key(kid)
        if key is None:
            raise InvalidToken("unknown kid")
        if key.get("kty") != _KEY_TYPES[alg] or key.get("alg", alg) != alg:
            raise InvalidToken("key does not match algorithm")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=self.settings.oidc_audience,
                issuer=self.settings.oidc_issuer,
                options={
                    "require_aud": True,
                    "require_iss": True,
                    "require_exp": True,
                    "require_iat": True,
                    "require_sub": True,
                    "verify_at_hash": False,
                    "leeway": self.settings.oidc_leeway_seconds,
                },
            )
        except JOSEError as exc:
            raise InvalidToken(type(exc).__name__) from exc
        return self._principal(claims)

    def _organisation(self, claims: dict[str, Any]) -> str | None:
        """The org claim: absent, or one code of the patterns; anything else is refused.

        A malformed code would silently become a report nobody handles. A list of exactly
        one is accepted: Keycloak maps a (multivalued) user attribute that way.
        """
        name = self.settings.oidc_org_claim
        org = _claim(claims, name)
        if org is None:
            return None
        if isinstance(org, list) and len(org) == 1:
            org = org[0]
        if not is_organisation(org):
            raise InvalidClaims(
                "malformed org",
                f"De claim '{name}' is geen organisatiecode (GM+4 cijfers, PV+2 cijfers, "
                "WS+4 cijfers of OWB).",
            )
        assert isinstance(org, str)
        return org

    def _principal(self, claims: dict[str, Any]) -> Principal:
        for tijd in _TIME_CLAIMS:
            value = claims.get(tijd)
            # A JSON number: python-jose would take "9999999999" or true as a time.
            if tijd in claims and (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                raise InvalidClaims(
                    f"{tijd} is not a number", f"De claim '{tijd}' moet een getal zijn."
                )
        sub = claims.get("sub")
        if not isinstance(sub, str) or _SUBJECT.fullmatch(sub) is None:
            raise InvalidClaims(
                "malformed sub",
                "De claim 'sub' moet 1 tot 255 tekens zijn, zonder spaties of stuurtekens.",
            )
        roles = _claim(claims, self.settings.oidc_roles_claim) or []
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise InvalidClaims(
                "roles claim is not a list of strings",
                f"De claim '{self.settings.oidc_roles_claim}' moet een lijst van namen zijn.",
            )
        client_id = claims.get("client_id") or claims.get("azp")
        name = claims.get("name")
        return Principal(
            sub=sub,
            org=self._organisation(claims),
            roles=frozenset(roles),
            name=str(name) if name else None,
            client_id=str(client_id) if client_id else None,
        )
