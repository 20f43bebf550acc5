"""Receiving one upload: multipart parsed as it streams, hashed, checked and encrypted.

The plaintext is never buffered whole and never written to disk: each part of the file is
hashed (SHA-256 over the bytes as received), fed to the type's validator and encrypted in
segments; only the ciphertext is spooled (memory first, a temporary file past 1 MiB) until
the one short transaction that stores it. The file limit is enforced on the bytes as they
arrive: the 413 comes the moment the file passes it, whatever Content-Length said.
"""

from __future__ import annotations

import asyncio
import hashlib
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from services.common.crypto import KeyRing
from services.common.problems import DomainError, InvalidInput
from services.meldingen.bijlage import mediatype
from services.meldingen.bijlage.bestandsnaam import extensie, opgeschoond
from services.meldingen.bijlage.schemas import MAX_OMSCHRIJVING

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

MAX_BESTAND = 20 * 1024 * 1024
# Room for the multipart framing and the small fields around a file of MAX_BESTAND bytes.
MAX_BODY = MAX_BESTAND + 64 * 1024
SEGMENT_BYTES = 256 * 1024
_MAX_VELD = 4 * MAX_OMSCHRIJVING  # bytes of one small field (UTF-8: at most 4 per character)
_VELDEN = ("bestand", "omschrijving", "zichtbaarVoorMelder")
_SPOOL_IN_MEMORY = 1024 * 1024


class TeGroot(DomainError):
    status = 413
    code = "bijlage-te-groot"
    title = "Het bestand is groter dan 20 MiB."


class TypeNietToegestaan(DomainError):
    status = 415
    code = "bestandstype-niet-toegestaan"
    title = "Dit bestandstype wordt niet aanvaard."


@dataclass
class Ontvangen:
    """What arrived, before it is stored: metadata and the spooled ciphertext segments."""

    bestandsnaam: str
    oorspronkelijke_naam: str
    mediatype: str
    grootte: int
    sha256: str
    sleutel: str
    segmenten: list[int]  # length of each spooled segment, in order
    spool: IO[bytes]
    velden: dict[str, str]

    async def segments(self) -> AsyncIterator[tuple[int, bytes]]:
        await asyncio.to_thread(self.spool.seek, 0)
        for number, length in enumerate(self.segmenten):
            yield number, await asyncio.to_thread(self.spool.read, length)

    def close(self) -> None:
        self.spool.close()


@dataclass
class _Part:
    headers: dict[str, bytes] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    value: bytearray = field(default_factory=bytearray)


class _Receiver:
    """The parser's callbacks collect; `drain` does the (async) work between writes."""

    def __init__(self, *, key_ring: KeyRing, aad: Callable[[int, bool], str]) -> None:
        self.key_ring = key_ring
        self.aad = aad
        self.parts: list[_Part] = []
        self.current: _Part | None = None
        self.header_field = bytearray()
        self.header_value = bytearray()
        self.file_chunks: list[bytes] = []
        self.file_part: _Part | None = None
        self.ended = False
        self.hash = hashlib.sha256()
        self.size = 0
        self.head = bytearray()
        self.validator: mediatype.Validator | None = None
        self.media_type: str | None = None
        self.segment = bytearray()
        self.segment_lengths: list[int] = []
        self.spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
        self.kid = key_ring.current_kid

    # ---- parser callbacks (synchronous, cheap) ----

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self.header_field.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self.header_value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _part_begin(self) -> None:
        if len(self.parts) >= len(_VELDEN):
            raise InvalidInput.field("body", "max_items", "Te veel onderdelen in de body.")
        self.current = _Part()
        self.parts.append(self.current)

    def _header_end(self) -> None:
        assert self.current is not None
        self.current.headers[bytes(self.header_field).lower().decode("latin-1")] = bytes(
            self.header_value
        )
        self.header_field.clear()
        self.header_value.clear()

    def _headers_finished(self) -> None:
        part = self.current
        assert part is not None
        disposition, options = parse_options_header(part.headers.get("content-disposition", b""))
        raw_name = options.get(b"name")
        if disposition != b"form-data" or raw_name is None:
            raise InvalidInput.field("body", "format", "Elk onderdeel heeft een naam nodig.")
        name = raw_name.decode("utf-8", "replace")
        if name not in _VELDEN:
            raise InvalidInput.field(name[:100], "unknown_field", "Onbekend veld.")
        if any(p.name == name for p in self.parts[:-1]):
            raise InvalidInput.field(name, "max_items", "Dit veld komt meer dan eens voor.")
        part.name = name
        if name == "bestand":
            filename = options.get(b"filename")
            if filename is None:
                raise InvalidInput.field("bestand", "type", "`bestand` moet een bestand zijn.")
            part.filename = filename.decode("utf-8", "replace")
            self.file_part = part

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        part = self.current
        assert part is not None
        if part is self.file_part:
            self.file_chunks.append(bytes(data[start:end]))
            return
        part.value += data[start:end]
        if len(part.value) > _MAX_VELD:
            raise InvalidInput.field(part.name, "max_length", "Dit veld is te lang.")

    def _part_end(self) -> None:
        self.current = None

    def _end(self) -> None:
        self.ended = True

    # ---- the work between writes ----

    async def drain(self, extension: str | None) -> None:
        for chunk in self.file_chunks:
            self.size += len(chunk)
            if self.size > MAX_BESTAND:
                raise TeGroot(f"Een bijlage is hoogstens {MAX_BESTAND} bytes.")
            self.hash.update(chunk)
            await self._typed(chunk, extension)
        self.file_chunks.clear()

    async def _typed(self, chunk: bytes, extension: str | None) -> None:
        if self.validator is None:
            self.head += chunk
            if len(self.head) < mediatype.HEAD_BYTES:
                return
            chunk = self._decide(extension)
        await self._feed(chunk)

    def _decide(self, extension: str | None) -> bytes:
        head = bytes(self.head)
        self.head.clear()
        try:
            self.media_type = mediatype.decide(head[: mediatype.HEAD_BYTES], extension or "")
        except mediatype.NietToegestaan as exc:
            raise TypeNietToegestaan(str(exc)) from exc
        self.validator = mediatype.validator_for(self.media_type)
        return head

    async def _feed(self, chunk: bytes) -> None:
        assert self.validator is not None
        try:
            self.validator.feed(chunk)
        except mediatype.NietToegestaan as exc:
            raise TypeNietToegestaan(str(exc)) from exc
        self.segment += chunk
        while len(self.segment) >= SEGMENT_BYTES:
            await self._seal(bytes(self.segment[:SEGMENT_BYTES]), last=False)
            del self.segment[:SEGMENT_BYTES]

    async def _seal(self, plain: bytes, *, last: bool) -> None:
        kid, sealed = self.key_ring.encrypt_bytes(
            plain, aad=self.aad(len(self.segment_lengths), last)
        )
        assert kid == self.kid
        await asyncio.to_thread(self.spool.write, sealed)
        self.segment_lengths.append(len(sealed))

    async def finish(self, extension: str | None) -> None:
        if self.validator is None:
            if not self.head:
                raise InvalidInput.field("bestand", "min_length", "Het bestand is leeg.")
            await self._feed(self._decide(extension))
        assert self.validator is not None
        try:
            self.validator.finish()
        except mediatype.NietToegestaan as exc:
            raise TypeNietToegestaan(str(exc)) from exc
        await self._seal(bytes(self.segment), last=True)
        self.segment.clear()


def boundary_of(content_type: str | None) -> bytes:
    media, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if media != b"multipart/form-data" or not boundary or len(boundary) > 70:
        raise InvalidInput.field("body", "format", "Stuur multipart/form-data met een boundary.")
    return boundary


async def _lees(stream: AsyncIterator[bytes], receiver: _Receiver, parser: MultipartParser) -> None:
    """Feed the body to the parser, draining the file part as it grows, up to its end."""
    async for chunk in stream:
        if receiver.ended:
            if chunk.strip():
                raise InvalidInput.field("body", "format", "Gegevens na het einde van de body.")
            continue
        try:
            parser.write(chunk)
        except MultipartParseError as exc:
            raise InvalidInput.field("body", "format", "Geen geldige multipart-body.") from exc
        part = receiver.file_part
        await receiver.drain(
            extensie(opgeschoond(part.filename)) if part and part.filename else None
        )
    if not receiver.ended:
        raise InvalidInput.field("body", "format", "De multipart-body is onvolledig.")


def _velden(parts: list[_Part], bestand: _Part) -> dict[str, str]:
    """The other form fields, as UTF-8 text."""
    velden = {}
    for other in parts:
        if other is bestand:
            continue
        try:
            velden[other.name] = bytes(other.value).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput.field(other.name, "format", "Geen geldige UTF-8.") from exc
    return velden


async def ontvang(
    stream: AsyncIterator[bytes],
    *,
    content_type: str | None,
    key_ring: KeyRing,
    aad: Callable[[int, bool], str],
) -> Ontvangen:
    """Read the whole multipart body from `stream`; the caller closes the result."""
    receiver = _Receiver(key_ring=key_ring, aad=aad)
    parser = MultipartParser(boundary_of(content_type), receiver.callbacks(), max_size=MAX_BODY)
    try:
        await _lees(stream, receiver, parser)
        part = receiver.file_part
        if part is None or part.filename is None:
            raise InvalidInput.field("bestand", "required", "`bestand` ontbreekt.")
        naam = opgeschoond(part.filename)
        await receiver.finish(extensie(naam))
        velden = _velden(receiver.parts, part)
        assert receiver.media_type is not None
        return Ontvangen(
            bestandsnaam=naam,
            oorspronkelijke_naam=part.filename,
            mediatype=receiver.media_type,
            grootte=receiver.size,
            sha256=receiver.hash.hexdigest(),
            sleutel=receiver.kid,
            segmenten=receiver.segment_lengths,
            spool=receiver.spool,
            velden=velden,
        )
    except BaseException:
        receiver.spool.close()
        raise


def nieuw_id() -> uuid.UUID:
    return uuid.uuid4()
