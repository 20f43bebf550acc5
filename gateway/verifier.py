"""The shared token verifier with a short memory of tokens it has already accepted.

A busy client sends the same bearer token many times; checking its RS256 signature each
time was ~9% of the gateway's CPU under load (py-spy). The cache is keyed by the whole
token (signature included), so a forged or altered token never hits it, and holds an
entry until the token expires or ``ttl`` passes, whichever is first. Only accepted
tokens are kept; refusals are always checked again. The services verify every token
themselves regardless (zero trust), so a signing key withdrawn from the JWKS is refused
by the service at once and by the gateway within ``ttl`` seconds.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Callable

from services.common.auth import TokenVerifier
from services.common.principal import Principal
from services.common.settings import CommonSettings


def _expiry(token: str) -> float | None:
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, UnicodeDecodeError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) else None


class CachingTokenVerifier(TokenVerifier):
    def __init__(
        self,
        settings: CommonSettings,
        *,
        ttl: float = 60.0,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(settings)
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._accepted: OrderedDict[bytes, tuple[Principal, float]] = OrderedDict()
        # The rate limiter and the authentication both verify each request's token, one
        # after the other: the second asks for the token just accepted, without hashing it.
        self._last: tuple[str, Principal, float] | None = None

    async def verify(self, token: str) -> Principal:
        now = self._clock()
        last = self._last
        if last is not None and now < last[2] and last[0] == token:
            return last[1]
        key = hashlib.sha256(token.encode()).digest()
        hit = self._accepted.get(key)
        if hit is not None:
            principal, until = hit
            if now < until:
                self._accepted.move_to_end(key)
                self._last = (token, principal, until)
                return principal
            del self._accepted[key]
        principal = await super().verify(token)
        expires = _expiry(token)
        until = now + self._ttl if expires is None else min(now + self._ttl, expires)
        if self._ttl > 0 and until > now:
            self._accepted[key] = (principal, until)
            self._last = (token, principal, until)
            if len(self._accepted) > self._max:
                self._accepted.popitem(last=False)
        return principal
