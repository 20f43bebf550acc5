"""Files for the attachment tests, made here byte by byte, and helpers to upload them."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
from fastapi.testclient import TestClient

MIB = 1024 * 1024
MARKER = b"WEERBAAR-BEWIJS-MARKER-7f3a9c"
# The EICAR test file (https://www.eicar.org): every scanner reports it, it does no harm.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(extra: bytes = b"", *, padding: int = 0) -> bytes:
    """A valid 2×2 RGB PNG; `extra` goes into a tEXt chunk, `padding` bytes into another."""
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2)))
    chunks = [_png_chunk(b"IHDR", header)]
    chunks.append(_png_chunk(b"tEXt", b"Comment\x00" + MARKER + extra))
    if padding:
        chunks.append(_png_chunk(b"zzPd", b"\x00" * padding))
    chunks += [_png_chunk(b"IDAT", pixels), _png_chunk(b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def png_of_size(total: int) -> bytes:
    """A valid PNG of exactly `total` bytes (a private ancillary chunk takes up the room)."""
    base = len(png(padding=1)) - 1
    return png(padding=total - base)


def jpeg() -> bytes:
    """SOI, JFIF APP0, a comment, a baseline frame header (SOF0), scan data, EOI."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    comment = b"\xff\xfe" + struct.pack(">H", 2 + len(MARKER)) + MARKER
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 2, 2, 1) + b"\x01\x11\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00"
    return b"\xff\xd8" + app0 + comment + sof0 + sos + b"\x12\x34\x56\x78" + b"\xff\xd9"


def pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
    ]
    stream = b"BT /F1 12 Tf 20 100 Td (" + MARKER + b") Tj ET"
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def text() -> bytes:
    return "Bedreiging via WhatsApp, 20 november 21:30 😡\r\n".encode() + MARKER + b"\n"


def email() -> bytes:
    return (
        b"From: Onbekende <dreiger@example.org>\r\n"
        b"To: wethouder@gemeente.example\r\n"
        b"Date: Fri, 20 Nov 2026 21:30:00 +0100\r\n"
        b"Subject: =?utf-8?q?Je_weet_waar_ik_woon?=\r\n"
        b"Message-ID: <1@example.org>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"\r\n"
        b"We weten waar je woont.\r\n" + MARKER + b"\r\n"
    )


# name → (file name, bytes, detected media type)
ACCEPTED: dict[str, tuple[str, bytes, str]] = {
    "png": ("screenshot.png", png(), "image/png"),
    "jpeg": ("foto.jpg", jpeg(), "image/jpeg"),
    "pdf": ("brief.pdf", pdf(), "application/pdf"),
    "text": ("chat.txt", text(), "text/plain"),
    "email": ("dreigmail.eml", email(), "message/rfc822"),
}

WINDOWS_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 44
    + (b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00L\x01")
)
ZIP_END = b"PK\x05\x06" + b"\x00" * 18
# (why, file name, bytes): each must be refused with 415.
REFUSED: dict[str, tuple[str, bytes]] = {
    "png renamed .pdf": ("brief.pdf", png()),
    "executable renamed .png": ("screenshot.png", WINDOWS_EXE),
    "html as .txt": ("bericht.txt", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    "svg as .txt": ("plaatje.txt", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>'),
    "png with a zip after IEND (polyglot)": ("screenshot.png", png() + ZIP_END),
    "png with html after IEND (polyglot)": ("screenshot.png", png() + b"<script>x()</script>"),
    "pdf that is also a zip (polyglot)": ("brief.pdf", pdf() + ZIP_END),
    "pdf header not at the start": ("brief.pdf", b"<html>" + pdf()),
    "pdf without trailer": ("brief.pdf", pdf()[:-40]),
    "png with a broken crc": ("screenshot.png", png()[:-5] + b"\x00" + png()[-4:]),
    "truncated png": ("screenshot.png", png()[:-12]),
    "jpeg without eoi": ("foto.jpg", jpeg()[:-2]),
    "text that is not utf-8": ("chat.txt", b"caf\xe9 au lait"),
    "text with control characters": ("chat.txt", b"a\x00b\x1bc"),
    "email without headers": ("mail.eml", b"Hallo, dit is geen e-mail.\r\n\r\nEcht niet."),
    "email without date": ("mail.eml", b"From: a@example.org\r\nSubject: x\r\n\r\nbody"),
    "elf executable as .txt": ("chat.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 60),
    "zip": ("archief.zip", ZIP_END),
    "exe": ("setup.exe", WINDOWS_EXE),
    "no extension": ("screenshot", png()),
}


def upload(
    client: TestClient | httpx.Client,
    url: str,
    headers: dict[str, str],
    name: str,
    data: bytes,
    *,
    declared: str = "application/octet-stream",
    **fields: str,
) -> httpx.Response:
    return client.post(
        url, files={"bestand": (name, data, declared)}, data=fields or None, headers=headers
    )


def multipart_body(name: str, data: bytes, boundary: str = "wb-grens-1234") -> tuple[bytes, str]:
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="bestand"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return (
        head + data + f"\r\n--{boundary}--\r\n".encode(),
        f"multipart/form-data; boundary={boundary}",
    )


def streamed_multipart(
    name: str, size: int, boundary: str = "wb-grens-1234", chunk: int = MIB
) -> Iterator[bytes]:
    """A multipart body whose file is a valid PNG of `size` bytes, generated as it is sent.

    The room is a private chunk of zeros streamed piece by piece (its CRC computed on the
    way), so the file stays what it claims until it passes whatever limit is tested.
    """
    head, _ = multipart_body(name, b"", boundary)
    yield head[: -len(f"\r\n--{boundary}--\r\n")]
    whole = png(padding=1)
    padding_at = whole.index(b"zzPd") - 4
    prefix, suffix = whole[:padding_at], whole[padding_at + 13 :]  # 13: length, type, 1, CRC
    padding = size - len(prefix) - len(suffix) - 12
    yield prefix + struct.pack(">I", padding) + b"zzPd"
    crc = zlib.crc32(b"zzPd")
    left = padding
    while left > 0:
        part = b"\x00" * min(chunk, left)
        crc = zlib.crc32(part, crc)
        yield part
        left -= len(part)
    yield struct.pack(">I", crc) + suffix
    yield f"\r\n--{boundary}--\r\n".encode()


def content_type_of(boundary: str = "wb-grens-1234") -> str:
    return f"multipart/form-data; boundary={boundary}"


def results(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["results"]
    return found
