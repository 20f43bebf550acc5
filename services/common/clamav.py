"""A small async client for clamd's INSTREAM command (tcp://host:port or unix:///path).

The protocol: send ``zINSTREAM\\0``, then the data as chunks each prefixed with its length
as a 4-byte big-endian integer, then a zero length; clamd answers one NUL-terminated line,
``stream: OK`` or ``stream: <signature> FOUND`` (or ``… ERROR``). See clamd(8).
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import AsyncIterable
from dataclasses import dataclass
from urllib.parse import urlsplit

# clamd's StreamMaxLength must be at least as large as what is sent (default 25 MiB).
_CHUNK = 64 * 1024
_MAX_REPLY = 4096


class ClamdUnavailable(Exception):
    """clamd could not be reached, or gave no usable answer: try again later."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str | None = None


@dataclass(frozen=True)
class ClamdAddress:
    host: str | None = None
    port: int | None = None
    path: str | None = None

    @classmethod
    def parse(cls, url: str) -> ClamdAddress:
        parts = urlsplit(url)
        if parts.scheme == "tcp" and parts.hostname and parts.port:
            return cls(host=parts.hostname, port=parts.port)
        if parts.scheme == "unix" and parts.path and not parts.netloc:
            return cls(path=parts.path)
        raise ValueError("the clamd address must be tcp://host:port or unix:///path")


class ClamdClient:
    def __init__(self, url: str, *, timeout: float = 60.0) -> None:
        self.address = ClamdAddress.parse(url)
        self.timeout = timeout

    async def _connect(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        try:
            if self.address.path is not None:
                return await asyncio.open_unix_connection(self.address.path)
            return await asyncio.open_connection(self.address.host, self.address.port)
        except OSError as exc:
            raise ClamdUnavailable(f"clamd unreachable: {type(exc).__name__}") from exc

    async def ping(self) -> bool:
        try:
            async with asyncio.timeout(5):
                reader, writer = await self._connect()
                try:
                    writer.write(b"zPING\0")
                    await writer.drain()
                    return await reader.readuntil(b"\0") == b"PONG\0"
                finally:
                    writer.close()
        except (ClamdUnavailable, OSError, TimeoutError, asyncio.IncompleteReadError):
            return False

    async def scan(self, chunks: AsyncIterable[bytes]) -> ScanResult:
        """Stream `chunks` to clamd; ClamdUnavailable when no verdict could be had."""
        try:
            async with asyncio.timeout(self.timeout):
                reader, writer = await self._connect()
                try:
                    writer.write(b"zINSTREAM\0")
                    async for chunk in chunks:
                        for start in range(0, len(chunk), _CHUNK):
                            part = chunk[start : start + _CHUNK]
                            writer.write(struct.pack(">I", len(part)) + part)
                            await writer.drain()
                    writer.write(struct.pack(">I", 0))
                    await writer.drain()
                    reply = await reader.readuntil(b"\0")
                finally:
                    writer.close()
        except (OSError, TimeoutError, asyncio.IncompleteReadError) as exc:
            raise ClamdUnavailable(f"clamd gave no verdict: {type(exc).__name__}") from exc
        except asyncio.LimitOverrunError as exc:
            raise ClamdUnavailable("clamd's answer is too long") from exc
        return _verdict(reply[:_MAX_REPLY].rstrip(b"\0").decode("utf-8", "replace"))


def _verdict(line: str) -> ScanResult:
    # "stream: OK", "stream: Eicar-Test-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
    _, _, status = line.partition(": ")
    if status == "OK":
        return ScanResult(clean=True)
    if status.endswith(" FOUND"):
        return ScanResult(clean=False, signature=status.removesuffix(" FOUND"))
    raise ClamdUnavailable(f"clamd answered {line[:200]!r}")
