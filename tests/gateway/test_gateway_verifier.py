"""The gateway remembers accepted tokens briefly, never refused or altered ones."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest

from gateway.verifier import CachingTokenVerifier
from services.common.auth import InvalidToken, TokenVerifier
from services.common.principal import Principal
from services.common.settings import CommonSettings


def _token(exp: int, signature: str = "sig") -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256'})}.{part({'sub': 'u', 'exp': exp})}.{signature}"


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    async def verify(_self: TokenVerifier, token: str) -> Principal:
        seen.append(token)
        if token.endswith("bad"):
            raise InvalidToken("bad signature")
        return Principal(sub="u", org="GM0363")

    monkeypatch.setattr(TokenVerifier, "verify", verify)
    return seen


def test_accepted_token_is_remembered_until_ttl_or_expiry(calls: list[str]) -> None:
    clock = Clock()
    verifier = CachingTokenVerifier(CommonSettings(), ttl=60, clock=clock)
    token = _token(exp=1030)

    async def scenario() -> None:
        await verifier.verify(token)
        await verifier.verify(token)
        assert len(calls) == 1
        clock.now = 1031  # past exp: checked again (and refused by the real verifier)
        await verifier.verify(token)
        assert len(calls) == 2

    asyncio.run(scenario())


def test_refused_and_altered_tokens_are_checked_every_time(calls: list[str]) -> None:
    verifier = CachingTokenVerifier(CommonSettings(), ttl=60, clock=Clock())
    good = _token(exp=5000)
    altered = _token(exp=5000, signature="bad")

    async def scenario() -> None:
        await verifier.verify(good)
        for _ in range(2):
            with pytest.raises(InvalidToken):
                await verifier.verify(altered)
        assert calls == [good, altered, altered]

    asyncio.run(scenario())
