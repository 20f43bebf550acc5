"""A tiny issuer for attack tests: our own RSA keys, a JWKS over loopback HTTP, forged tokens.

Tokens are assembled by hand where python-jose would refuse to help (alg none, HS256 keyed
with a public key), so the verifier is tested against what an attacker can really send.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.hashes import SHA256, SHA512

AUDIENCE = "weerbaar-api"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_json(value: dict[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


@dataclass
class RsaKey:
    kid: str
    private_key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

    @property
    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    @property
    def public_jwk(self) -> dict[str, Any]:
        numbers = self.private_key.public_key().public_numbers()

        def encode(number: int) -> str:
            return b64url(number.to_bytes((number.bit_length() + 7) // 8, "big"))

        return {
            "kty": "RSA",
            "kid": self.kid,
            "alg": "RS256",
            "use": "sig",
            "n": encode(numbers.n),
            "e": encode(numbers.e),
        }

    def sign(
        self,
        claims: dict[str, Any],
        *,
        kid: str | None = None,
        alg: str = "RS256",
        **extra_header: Any,
    ) -> str:
        """RS256 (or RS512) by hand: loading a PEM per token would make the suite slow."""
        header = {"alg": alg, "typ": "JWT", "kid": kid or self.kid, **extra_header}
        signing_input = f"{b64url_json(header)}.{b64url_json(claims)}"
        digest = SHA512() if alg == "RS512" else SHA256()
        signature = self.private_key.sign(signing_input.encode(), padding.PKCS1v15(), digest)
        return f"{signing_input}.{b64url(signature)}"


def es256_token(kid: str, claims: dict[str, Any]) -> str:
    """ES256 with a fresh EC key of the attacker's, claiming the issuer's (RSA) kid."""
    key = ec.generate_private_key(ec.SECP256R1())
    header = {"alg": "ES256", "typ": "JWT", "kid": kid}
    signing_input = f"{b64url_json(header)}.{b64url_json(claims)}"
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(SHA256())))
    return f"{signing_input}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def claims_for(issuer: str, **overrides: Any) -> dict[str, Any]:
    """Valid claims of a melder; an override of None removes that claim."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": AUDIENCE,
        "sub": "aanvaller-1",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "roles": ["melder"],
        "org": "GM0363",
    }
    for name, value in overrides.items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    return claims


def unsigned_token(header: dict[str, Any], claims: dict[str, Any]) -> str:
    """`alg: none`: header and claims with an empty signature."""
    return f"{b64url_json(header)}.{b64url_json(claims)}."


def hs256_token(secret: bytes, header: dict[str, Any], claims: dict[str, Any]) -> str:
    """HS256 by hand: the classic confusion attack keys the HMAC with the issuer's public key."""
    signing_input = f"{b64url_json(header)}.{b64url_json(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def with_claims_replaced(token: str, **changes: Any) -> str:
    """The same header and signature over different claims (a tampered token)."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    return f"{header}.{b64url_json(claims)}.{signature}"


class JwksServer:
    """Discovery and JWKS on a loopback port; counts how often the JWKS was fetched."""

    def __init__(self, keys: list[RsaKey]) -> None:
        self.keys = list(keys)
        self.jwks_fetches = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/.well-known/openid-configuration":
                    body: dict[str, Any] = {"issuer": server.issuer, "jwks_uri": server.jwks_url}
                elif self.path == "/jwks":
                    with server._lock:
                        server.jwks_fetches += 1
                        body = {"keys": [key.public_jwk for key in server.keys]}
                else:
                    self.send_error(404)
                    return
                raw = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the test output is the report."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def jwks_url(self) -> str:
        return f"{self.issuer}/jwks"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def jwks_server(keys: list[RsaKey]) -> Iterator[JwksServer]:
    server = JwksServer(keys)
    server.start()
    try:
        yield server
    finally:
        server.stop()
