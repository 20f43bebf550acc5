"""The outbound POST of one delivery: signed, to the checked address, bounded in every way.

No redirects, no proxies from the environment, a total time limit, and at most
`max_response_bytes` of the answer read (a hostile receiver cannot stream us to death).
"""

from __future__ import annotations

import asyncio
import time
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


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        timeout=httpx.Timeout(10.0),
        # No pooled connections: the pool is keyed by the address we connect to, and a TLS
        # session made for one host name must never carry another host's delivery.
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=0),
        headers={"User-Agent": USER_AGENT},
    )


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
