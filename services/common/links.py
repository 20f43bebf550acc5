"""Absolute links as the client sees them: through the gateway they point at the gateway."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request


def public_base_url(request: Request) -> str:
    """Scheme, host and prefix from the X-Forwarded-* headers the gateway sets."""
    headers = request.headers
    proto = headers.get("x-forwarded-proto", request.url.scheme).split(",")[0].strip()
    host = headers.get("x-forwarded-host") or headers.get("host") or request.url.netloc
    host = host.split(",")[0].strip()
    prefix = headers.get("x-forwarded-prefix", "").split(",")[0].strip().rstrip("/")
    if proto not in {"http", "https"}:
        proto = request.url.scheme
    return f"{proto}://{host}{prefix}"


def absolute_url(request: Request, path: str, query: dict[str, object] | None = None) -> str:
    url = public_base_url(request) + path
    if query:
        pairs: list[tuple[str, str]] = []
        for key, value in query.items():
            if value is None:
                continue
            if isinstance(value, list | tuple):
                pairs.extend((key, str(v)) for v in value)
            else:
                pairs.append((key, str(value)))
        if pairs:
            url += "?" + urlencode(pairs)
    return url
