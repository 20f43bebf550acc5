"""Data-encryption key ring: AES-256-GCM, key id stored with every value, rotation by prepending.

A value is stored as ``v1.<kid>.<base64url(nonce + ciphertext + tag)>``. The caller binds it
to its row and column through associated data, so a ciphertext copied to another row fails.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.common.settings import DEV_KEY_ID_PREFIX, ServiceSettings

_FORMAT = "v1"
_NONCE_BYTES = 12
DEV_KEY_FILE = "data-keys"


class KeyRingError(RuntimeError):
    """The key ring is misconfigured."""


class DecryptionError(RuntimeError):
    """A stored value could not be authenticated: tampered, or its key is gone."""


@dataclass(frozen=True)
class KeyRing:
    """Keys by id; the first one encrypts, all of them decrypt."""

    keys: tuple[tuple[str, bytes], ...]

    @classmethod
    def parse(cls, spec: str) -> KeyRing:
        keys: list[tuple[str, bytes]] = []
        for part in (p.strip() for p in spec.split(",")):
            if not part:
                continue
            kid, sep, encoded = part.partition(":")
            if not sep or not kid or "." in kid:
                raise KeyRingError("each key must be written as kid:base64key")
            try:
                key = base64.b64decode(encoded, validate=True)
            except binascii.Error as exc:
                raise KeyRingError(f"key {kid!r} is not valid base64") from exc
            if len(key) != 32:
                raise KeyRingError(f"key {kid!r} must be 32 bytes (AES-256)")
            keys.append((kid, key))
        if not keys:
            raise KeyRingError("the key ring is empty")
        if len({kid for kid, _ in keys}) != len(keys):
            raise KeyRingError("key ids must be unique")
        return cls(tuple(keys))

    @property
    def current_kid(self) -> str:
        return self.keys[0][0]

    def _key(self, kid: str) -> bytes:
        for candidate, key in self.keys:
            if candidate == kid:
                return key
        raise DecryptionError(f"no key with id {kid!r} in the ring")

    def encrypt(self, plaintext: str, *, aad: str) -> str:
        kid, key = self.keys[0]
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), aad.encode("utf-8"))
        payload = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
        return f"{_FORMAT}.{kid}.{payload}"

    def decrypt(self, token: str, *, aad: str) -> str:
        try:
            version, kid, payload = token.split(".", 2)
            raw = base64.urlsafe_b64decode(payload.encode("ascii"))
        except (ValueError, binascii.Error) as exc:
            raise DecryptionError("stored value is not a ciphertext") from exc
        if version != _FORMAT or len(raw) <= _NONCE_BYTES:
            raise DecryptionError("stored value has an unknown format")
        try:
            plain = AESGCM(self._key(kid)).decrypt(
                raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], aad.encode("utf-8")
            )
        except InvalidTag as exc:
            raise DecryptionError("stored value failed authentication") from exc
        return plain.decode("utf-8")

    def encrypt_bytes(self, plaintext: bytes, *, aad: str) -> tuple[str, bytes]:
        """Binary values (file content): the key id and ``nonce + ciphertext + tag``."""
        kid, key = self.keys[0]
        nonce = os.urandom(_NONCE_BYTES)
        return kid, nonce + AESGCM(key).encrypt(nonce, plaintext, aad.encode("utf-8"))

    def decrypt_bytes(self, sealed: bytes, *, kid: str, aad: str) -> bytes:
        if len(sealed) <= _NONCE_BYTES:
            raise DecryptionError("stored value is not a ciphertext")
        try:
            return AESGCM(self._key(kid)).decrypt(
                sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], aad.encode("utf-8")
            )
        except InvalidTag as exc:
            raise DecryptionError("stored value failed authentication") from exc

    @staticmethod
    def key_id_of(token: str) -> str:
        return token.split(".", 2)[1]


def generate_key_spec(kid: str) -> str:
    return f"{kid}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode('ascii')}"


def ensure_dev_key_file(data_dir: Path) -> Path:
    """Create the development key ring once; `make run` and tests call this."""
    path = data_dir / DEV_KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(generate_key_spec(f"{DEV_KEY_ID_PREFIX}1") + "\n", encoding="utf-8")
        path.chmod(0o600)
    return path


def load_key_ring(settings: ServiceSettings) -> KeyRing:
    """The ring from WEERBAAR_DATA_KEYS, or outside production the dev ring under the data dir."""
    if settings.data_keys:
        return KeyRing.parse(settings.data_keys)
    if settings.is_production:
        raise KeyRingError("WEERBAAR_DATA_KEYS is required in production")
    path = settings.data_dir / DEV_KEY_FILE
    if not path.exists():
        raise KeyRingError(f"no key ring: set WEERBAAR_DATA_KEYS or create {path} (make run does)")
    return KeyRing.parse(path.read_text(encoding="utf-8"))
