"""The dev issuer's signing keys, persisted so tokens survive a restart of `make run`."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_DIR_NAME = "devidp-keys"


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


class SigningKey:
    def __init__(self, private_key: rsa.RSAPrivateKey) -> None:
        self.private_key = private_key
        numbers = private_key.public_key().public_numbers()
        self.public_jwk: dict[str, Any] = {"kty": "RSA", "n": _b64(numbers.n), "e": _b64(numbers.e)}
        thumbprint = json.dumps(self.public_jwk, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(thumbprint.encode()).digest()
        self.kid = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")[:16]
        self.public_jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})

    @property
    def pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


class KeyStore:
    """Keys in a folder; the newest signs, all are published (rotation keeps old tokens valid)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.keys = [self._load(path) for path in sorted(self.directory.glob("*.pem"))]
        if not self.keys:
            self.rotate()

    @staticmethod
    def _load(path: Path) -> SigningKey:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return SigningKey(key)

    def rotate(self) -> SigningKey:
        key = SigningKey(rsa.generate_private_key(public_exponent=65537, key_size=2048))
        path = self.directory / f"{len(self.keys):04d}-{key.kid}.pem"
        path.write_bytes(key.pem)
        path.chmod(0o600)
        self.keys.append(key)
        return key

    @property
    def current(self) -> SigningKey:
        return self.keys[-1]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk for key in self.keys]}
