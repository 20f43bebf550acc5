"""A file name that is safe to show and to put in a Content-Disposition header."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAAM = 100
_ONVEILIG = re.compile(r'[<>:"|?*\\/]')
_SPATIES = re.compile(r"\s+")


def opgeschoond(raw: str, *, fallback_stem: str = "bijlage") -> str:
    """No path parts, control, format (RTL overrides, zero-width) or reserved characters."""
    name = unicodedata.normalize("NFC", raw)
    name = re.split(r"[\\/]", name)[-1]  # the last path component, Windows or POSIX
    name = "".join(" " if unicodedata.category(c) == "Zs" else c for c in name)
    name = "".join(c for c in name if unicodedata.category(c)[0] not in {"C", "Z"} or c == " ")
    name = _ONVEILIG.sub("_", name)
    name = _SPATIES.sub(" ", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext[:10].lower()
    stem = stem.strip(" .") or fallback_stem
    room = MAX_NAAM - (len(ext) + 1 if ext else 0)
    stem = stem[:room].rstrip(" .") or fallback_stem
    return f"{stem}.{ext}" if ext else stem


def extensie(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot else ""


def content_disposition(name: str) -> str:
    """RFC 6266: an ASCII fallback and the UTF-8 name (RFC 8187)."""
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    ascii_name = ascii_name.replace("\\", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
