"""The merged OpenAPI document: fetched from the services, cached, refreshed.

A service's document is fetched through the shared client from
``<upstream>/api/<service>/v1/openapi.json``. A service that is down is left
out (and named under ``info.x-onbeschikbaar``) and asked again at most every
``retry_seconds`` on the next request, so its paths come back by themselves
when it does; loaded documents are refreshed after ``refresh_seconds``,
keeping the last good copy when the refresh fails.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from gateway.openapi_merge import JSON, merge_documents

logger = logging.getLogger("gateway.openapi")


@dataclass(slots=True)
class _Entry:
    document: JSON | None = None
    fetched_at: float = 0.0
    attempted_at: float = float("-inf")
    error: str | None = None


@dataclass(slots=True)
class OpenApiCache:
    client: httpx.AsyncClient
    upstreams: Mapping[str, str]
    issuer: str
    server_url: str = "/"
    refresh_seconds: float = 30.0
    retry_seconds: float = 2.0
    fetch_timeout: float = 3.0
    clock: Callable[[], float] = time.monotonic
    _entries: dict[str, _Entry] = field(default_factory=dict)
    _merged: JSON | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def document_url(self, service: str) -> str:
        return f"{self.upstreams[service]}/api/{service}/v1/openapi.json"

    async def _fetch(self, service: str) -> JSON:
        response = await self.client.get(
            self.document_url(service),
            timeout=self.fetch_timeout,
            headers={"accept": "application/json"},
        )
        response.raise_for_status()
        document: Any = response.json()
        if not isinstance(document, dict) or "paths" not in document:
            raise ValueError("not an OpenAPI document")
        return document

    def _due(self, entry: _Entry, now: float) -> bool:
        if entry.document is None:
            return now - entry.attempted_at >= self.retry_seconds
        return now - entry.fetched_at >= self.refresh_seconds and (
            now - entry.attempted_at >= self.retry_seconds
        )

    async def refresh(self, *, force: bool = False) -> bool:
        """Fetch the documents that are due; True when anything changed."""
        now = self.clock()
        due = [
            service
            for service in self.upstreams
            if force or self._due(self._entries.setdefault(service, _Entry()), now)
        ]
        if not due:
            return False
        results = await asyncio.gather(*(self._fetch(s) for s in due), return_exceptions=True)
        changed = False
        for service, result in zip(due, results, strict=True):
            entry = self._entries.setdefault(service, _Entry())
            entry.attempted_at = now
            if isinstance(result, BaseException):
                if entry.error is None:
                    logger.warning("openapi document of %s unavailable: %s", service, result)
                entry.error = type(result).__name__
                changed = changed or entry.document is None
                continue
            if entry.document is None:
                logger.info("openapi document of %s loaded", service)
            changed = changed or entry.document != result
            entry.document, entry.fetched_at, entry.error = result, now, None
        return changed

    def note_service_up(self, service: str) -> None:
        """A health check saw the service answer: fetch a missing document on next use."""
        entry = self._entries.get(service)
        if entry is not None and entry.document is None:
            entry.attempted_at = float("-inf")

    async def document(self) -> JSON:
        async with self._lock:
            changed = await self.refresh()
            if changed or self._merged is None:
                docs = {s: e.document for s, e in self._entries.items() if e.document is not None}
                unavailable = {
                    s: e.error or "onbekend" for s, e in self._entries.items() if e.document is None
                }
                self._merged = merge_documents(
                    docs, issuer=self.issuer, server_url=self.server_url, unavailable=unavailable
                )
            return self._merged
