"""What an uploaded file is, read from its bytes: detected, cross-checked, parsed enough.

The media type comes from the content (puremagic's signatures), never from the declared
type. The name's extension must say the same, and the file must parse as what it claims
while it streams in: a PNG's chunks walk to IEND with valid CRCs and nothing after it, a
JPEG starts with a frame header and ends at EOI, a PDF has its header at byte 0 and a
`startxref … %%EOF` trailer, text is UTF-8 without control characters, an e-mail has an
RFC 5322 header block with `From` and `Date`. Anything else is refused (415): a polyglot
(data after the end of a PNG, a ZIP directory in a PDF's tail) included.
"""

from __future__ import annotations

import codecs
import re
import struct
import zlib
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import compat32

import puremagic

PNG = "image/png"
JPEG = "image/jpeg"
PDF = "application/pdf"
TEXT = "text/plain"
EMAIL = "message/rfc822"

EXTENSIONS: dict[str, str] = {
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".pdf": PDF,
    ".txt": TEXT,
    ".eml": EMAIL,
}
ACCEPTED = frozenset(EXTENSIONS.values())
# How much of the start decides the type: the magic, a JPEG frame header, an e-mail's headers.
HEAD_BYTES = 64 * 1024
_TAIL_BYTES = 4096
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MARKUP = re.compile(rb"^\s*<\s*(!doctype|html|head|body|script|svg|\?xml|iframe|a\s)", re.I)
# C0 controls other than tab, line feed, form feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_HEADER_NAME = re.compile(rb"^[!-9;-~]+$")


class NietToegestaan(Exception):
    """The content is not an accepted type, or not what it claims to be."""


def detected_types(head: bytes) -> set[str]:
    """The media types puremagic's signatures find at the start (empty: nothing known)."""
    try:
        matches = puremagic.magic_string(head)
    except puremagic.PureError:
        return set()
    return {m.mime_type for m in matches if m.mime_type}


def decide(head: bytes, extension: str) -> str:
    """The type of a file starting with `head` named with `extension`, or NietToegestaan."""
    claimed = EXTENSIONS.get(extension.lower())
    if claimed is None:
        raise NietToegestaan("Deze bestandsextensie wordt niet aanvaard.")
    found = detected_types(head)
    if claimed in (PNG, JPEG, PDF):
        if claimed not in found:
            raise NietToegestaan("De inhoud is niet wat de extensie zegt.")
        return claimed
    # Text and e-mail have no magic of their own: no signature of anything else may match.
    if found - {claimed, TEXT}:
        raise NietToegestaan("De inhoud is een ander bestandstype dan de extensie zegt.")
    if claimed == TEXT and _MARKUP.match(head.lstrip(b"\xef\xbb\xbf")):
        raise NietToegestaan("Opmaak (HTML, SVG, XML) wordt niet als tekst aanvaard.")
    return claimed


class Validator:
    """Fed the whole file in order; `finish` raises NietToegestaan when it is not valid."""

    def feed(self, chunk: bytes) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        raise NotImplementedError


@dataclass
class _Tail:
    """The last bytes seen, for checks on how a file ends."""

    data: bytes = b""

    def add(self, chunk: bytes) -> None:
        self.data = (self.data + chunk)[-_TAIL_BYTES:]


@dataclass
class PngValidator(Validator):
    """Walks the chunks with their CRCs as they stream; IEND must be the last byte.

    Chunk data is never held: only the running CRC, so a huge IDAT costs no memory.
    """

    pending: bytearray = field(default_factory=bytearray)
    signature_seen: bool = False
    chunks: int = 0
    ended: bool = False
    kind: bytes = b""
    remaining: int = -1  # bytes of the current chunk's data still to come; -1: between chunks
    crc: int = 0
    ihdr: bytearray = field(default_factory=bytearray)

    def feed(self, chunk: bytes) -> None:
        view = memoryview(chunk)
        while view:
            view = self._step(view)

    def _step(self, view: memoryview) -> memoryview:
        """Consume what the current state needs of ``view``; the rest is returned."""
        if not self.signature_seen:
            return self._signature(view)
        if self.ended:
            raise NietToegestaan("Gegevens na het einde van de PNG (IEND).")
        if self.remaining < 0:
            return self._chunk_header(view)
        if self.remaining > 0:
            return self._chunk_data(view)
        return self._chunk_crc(view)

    def _signature(self, view: memoryview) -> memoryview:
        view = self._take(view, 8)
        if len(self.pending) == 8:
            if bytes(self.pending) != _PNG_SIGNATURE:
                raise NietToegestaan("Geen PNG-handtekening.")
            self.pending.clear()
            self.signature_seen = True
        return view

    def _chunk_header(self, view: memoryview) -> memoryview:
        view = self._take(view, 8)
        if len(self.pending) == 8:
            length, kind = struct.unpack(">I4s", self.pending)
            self.pending.clear()
            if length > 2**31 - 1 or not kind.isalpha():
                raise NietToegestaan("Ongeldig PNG-blok.")
            if self.chunks == 0 and (kind != b"IHDR" or length != 13):
                raise NietToegestaan("PNG zonder IHDR.")
            self.kind, self.remaining, self.crc = kind, length, zlib.crc32(kind)
        return view

    def _chunk_data(self, view: memoryview) -> memoryview:
        part = view[: self.remaining]
        self.crc = zlib.crc32(part, self.crc)
        if self.chunks == 0:
            self.ihdr += part
        self.remaining -= len(part)
        return view[len(part) :]

    def _chunk_crc(self, view: memoryview) -> memoryview:
        view = self._take(view, 4)
        if len(self.pending) == 4:
            (crc,) = struct.unpack(">I", self.pending)
            self.pending.clear()
            if crc != self.crc:
                raise NietToegestaan("PNG-blok met een onjuiste CRC.")
            if self.chunks == 0:
                self._check_header(bytes(self.ihdr))
            self.chunks += 1
            self.ended = self.kind == b"IEND"
            self.remaining = -1
        return view

    def _take(self, view: memoryview, size: int) -> memoryview:
        need = size - len(self.pending)
        self.pending += view[:need]
        return view[need:]

    @staticmethod
    def _check_header(data: bytes) -> None:
        width, height, depth, colour = struct.unpack(">IIBB", data[:10])
        if not (0 < width <= 2**31 - 1 and 0 < height <= 2**31 - 1):
            raise NietToegestaan("PNG met ongeldige afmetingen.")
        if depth not in (1, 2, 4, 8, 16) or colour not in (0, 2, 3, 4, 6):
            raise NietToegestaan("PNG met een ongeldig kleurtype.")

    def finish(self) -> None:
        if not self.ended:
            raise NietToegestaan("De PNG is onvolledig.")


@dataclass
class JpegValidator(Validator):
    """SOI, marker segments up to a frame header (SOFn) with sane dimensions, EOI at the end."""

    head: bytearray = field(default_factory=bytearray)
    frame_seen: bool = False
    tail: _Tail = field(default_factory=_Tail)

    def feed(self, chunk: bytes) -> None:
        self.tail.add(chunk)
        if not self.frame_seen and len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]

    def _walk_to_frame(self) -> None:
        data = bytes(self.head)
        if data[:3] != b"\xff\xd8\xff":
            raise NietToegestaan("Geen JPEG-begin (SOI).")
        at = 2
        while at + 4 <= len(data):
            if data[at] != 0xFF:
                raise NietToegestaan("Ongeldige JPEG-markering.")
            marker = data[at + 1]
            if marker == 0xFF:
                at += 1
                continue
            (length,) = struct.unpack(">H", data[at + 2 : at + 4])
            if length < 2:
                raise NietToegestaan("Ongeldig JPEG-segment.")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                if at + 9 > len(data):
                    break
                height, width = struct.unpack(">HH", data[at + 5 : at + 9])
                if width == 0 or height == 0:
                    raise NietToegestaan("JPEG met ongeldige afmetingen.")
                self.frame_seen = True
                return
            if marker in (0xD9, 0xDA):
                break
            at += 2 + length
        raise NietToegestaan("JPEG zonder beeldkop (SOF) aan het begin.")

    def finish(self) -> None:
        self._walk_to_frame()
        if not self.tail.data.endswith(b"\xff\xd9"):
            raise NietToegestaan("De JPEG eindigt niet met EOI.")


@dataclass
class PdfValidator(Validator):
    head: bytearray = field(default_factory=bytearray)
    tail: _Tail = field(default_factory=_Tail)

    def feed(self, chunk: bytes) -> None:
        if len(self.head) < 16:
            self.head += chunk[: 16 - len(self.head)]
        self.tail.add(chunk)

    def finish(self) -> None:
        if not re.match(rb"%PDF-[12]\.\d", bytes(self.head)):
            raise NietToegestaan("Geen PDF-kop op het begin van het bestand.")
        end = self.tail.data.rstrip(b"\r\n\t \x00")
        if not end.endswith(b"%%EOF"):
            raise NietToegestaan("De PDF eindigt niet met %%EOF.")
        if not re.search(rb"startxref\s+\d+\s+%%EOF$", end[-1024:]):
            raise NietToegestaan("De PDF heeft geen startxref-trailer.")
        if b"PK\x05\x06" in self.tail.data:
            raise NietToegestaan("De PDF is ook een ZIP-archief.")


@dataclass
class TextValidator(Validator):
    decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")("strict")
    )

    def feed(self, chunk: bytes) -> None:
        try:
            text = self.decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise NietToegestaan("De tekst is geen geldige UTF-8.") from exc
        if _CONTROL.search(text):
            raise NietToegestaan("De tekst bevat stuurtekens.")

    def finish(self) -> None:
        try:
            self.decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise NietToegestaan("De tekst eindigt midden in een UTF-8-teken.") from exc


@dataclass
class EmailValidator(Validator):
    """An RFC 5322 header block at the start, with the two required fields From and Date."""

    head: bytearray = field(default_factory=bytearray)

    def feed(self, chunk: bytes) -> None:
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]

    def finish(self) -> None:
        data = bytes(self.head)
        match = re.search(rb"\r?\n\r?\n", data)
        if match is None:
            raise NietToegestaan("Geen e-mailkop (of een kop langer dan 64 KiB).")
        block = data[: match.start()]
        for line in re.split(rb"\r?\n", block):
            if line[:1] in (b" ", b"\t"):
                continue  # a folded continuation line
            name, colon, _ = line.partition(b":")
            if not colon or not _HEADER_NAME.match(name):
                raise NietToegestaan("Een regel in de e-mailkop is geen veld.")
        headers = BytesHeaderParser(policy=compat32).parsebytes(block + b"\r\n\r\n")
        if headers.defects or headers.get("From") is None or headers.get("Date") is None:
            raise NietToegestaan("De e-mail mist From of Date.")


def validator_for(media_type: str) -> Validator:
    validators: dict[str, type[Validator]] = {
        PNG: PngValidator,
        JPEG: JpegValidator,
        PDF: PdfValidator,
        TEXT: TextValidator,
        EMAIL: EmailValidator,
    }
    return validators[media_type]()
