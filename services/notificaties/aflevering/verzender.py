"""The outbound POST of one delivery: signed, to the checked address, bounded in every way.

No redirects, no proxies from the environment, a total time limit, and at most
`max_response_bytes` of the answer read (a hostile receiver cannot stream us to death).

Connections are kept alive, one small pool per subscription and target: the URL's scheme,
host name and port together with the address the check resolved it to. A TLS session made for
one host name therefore never carries another host's delivery, a name that now resolves
elsewhere gets a pool of its own (after being checked again), and a subscription whose
receiver holds its requests (dead, or a slow-loris) holds only its own connections, never
those another subscription at the same host is waiting for. Idle pools are closed; their
number is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from standardwebhooks import Webhook

from services.notificaties.callback import Doel

CONTENT_TYPE = "application/cloudevents+json"
USER_AGENT = "WeerbaarBestuur-Webhooks/1.0"


@dataclass(frozen=True)
class Uitkomst:
    http_status: int | None
    duur_ms: int
    fout: str | None = None  # timeout, verbinding, geweigerd: a stable word, no message

    @property
    def geslaagd(self) -> bool:
        return self.http_status is not None and 200 <= self.http_status < 300


def handtekening(secrets: list[str], event_id: str, moment: datetime, body: str) -> str:
    """One `v1,<sig>` entry per active secret, space-separated (Standard Webhooks)."""
    return " ".join(Webhook(secret).sign(event_id, moment, body) for secret in secrets)


# Shorter than the usual 5 s idle timeout of receivers' servers, so we close first and never
# send on a connection the other side is closing.
KEEPALIVE_SECONDS = 2.0

Sleutel = tuple[uuid.UUID, str, str, int, str]


def client(*, connections: int = 2) -> httpx.AsyncClient:
    """A client for one target: `connections` kept-alive connections at most."""
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(10.0),
        limits=httpx.Limits(
            max_connections=connections,
            max_keepalive_connections=connections,
            keepalive_expiry=KEEPALIVE_SECONDS,
        ),
        headers={"User-Agent": USER_AGENT},
    )


class Verbindingen:
    """A kept-alive client per subscription and target (scheme, host, port, checked
    address), bounded.

    At most `max_doelen` clients are kept; the least recently used idle one is closed when
    another is needed. A client in use is never closed, so the count can only exceed the
    bound by the clients in use (at most the deliverer's concurrency).
    """

    def __init__(self, *, max_doelen: int, per_doel: int) -> None:
        self.max_doelen = max_doelen
        self.per_doel = per_doel
        self._clients: OrderedDict[Sleutel, httpx.AsyncClient] = OrderedDict()
        self._in_gebruik: dict[Sleutel, int] = {}

    def __len__(self) -> int:
        return len(self._clients)

    @staticmethod
    def sleutel(abonnement_id: uuid.UUID, doel: Doel) -> Sleutel:
        return (abonnement_id, doel.url.scheme, doel.host, doel.port, doel.adres)

    @contextlib.asynccontextmanager
    async def voor(self, abonnement_id: uuid.UUID, doel: Doel) -> AsyncIterator[httpx.AsyncClient]:
        key = self.sleutel(abonnement_id, doel)
        http = self._clients.get(key)
        if http is None:
            http = self._clients[key] = client(connections=self.per_doel)
        self._clients.move_to_end(key)
        self._in_gebruik[key] = self._in_gebruik.get(key, 0) + 1
        try:
            await self._snoei()
            yield http
        finally:
            self._in_gebruik[key] -= 1
            if not self._in_gebruik[key]:
                del self._in_gebruik[key]

    async def _snoei(self) -> None:
        idle = [key for key in self._clients if key not in self._in_gebruik]
        while len(self._clients) > self.max_doelen and idle:
            await self._clients.pop(idle.pop(0)).aclose()

    async def aclose(self) -> None:
        clients = list(self._clients.values())
        self._clients.clear()
        for http in clients:
            await http.aclose()


async def verstuur(
    http: httpx.AsyncClient,
    doel: Doel,
    *,
    event_id: str,
    body: str,
    secrets: list[str],
    tijdslimiet: float,
    max_response_bytes: int,
) -> Uitkomst:
    moment = datetime.now(UTC).replace(microsecond=0)
    headers = {
        "Host": doel.host_header,
        "Content-Type": CONTENT_TYPE,
        "webhook-id": event_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": handtekening(secrets, event_id, moment, body),
    }
    # TLS checks the certificate against the URL's host, not the address we connect to.
    extensions = {"sni_hostname": doel.host} if doel.url.scheme == "https" else {}
    start = time.monotonic()
    try:
        async with asyncio.timeout(tijdslimiet):
            request = http.build_request(
                "POST",
                doel.connect_url,
                content=body.encode("utf-8"),
                headers=headers,
                extensions=extensions,
                timeout=httpx.Timeout(tijdslimiet),
            )
            response = await http.send(request, stream=True)
            try:
                gelezen = 0
                async for chunk in response.aiter_raw():
                    gelezen += len(chunk)
                    if gelezen >= max_response_bytes:
                        break
            finally:
                await response.aclose()
            return Uitkomst(response.status_code, _ms(start))
    except TimeoutError:
        return Uitkomst(None, _ms(start), "timeout")
    except httpx.TimeoutException:
        return Uitkomst(None, _ms(start), "timeout")
    except httpx.HTTPError:
        return Uitkomst(None, _ms(start), "verbinding")


def _ms(start: float) -> int:
    return int((time.monotonic() - start) * 1000)
