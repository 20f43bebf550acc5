"""The gateway's upstream client alone: httpx's transport against aiohttp, CPU per request.

Both send the gateway's kind of request (a bearer token, forwarding headers) to the same
nginx answering a fixed small JSON body (C, a negligible cost of its own), interleaved in one
process, at 1 and at 16 requests in flight. Printed per client: CPU milliseconds per
request (``time.process_time``) and requests/s, then the ratio httpx ÷ aiohttp. Why it
matters: httpcore checks every pooled connection with a ``select`` call for each request it
hands out, so its cost grows with the number of connections in use.

    .venv/bin/python benchmarks/upstream_client.py [--requests 4000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

# As the gateway does (gateway/proxy.py): without sniffio, httpcore retries its import per lock.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

import aiohttp
import httpx
from multidict import CIMultiDict

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.gateway_overhead import ensure_tools, free_port, nginx_conf, wait_until

BODY = '{"count":1,"next":null,"previous":null,"results":[{"id":"5b1a2c3d","status":"ontvangen"}]}'
NGINX_FIXED = """
  server {{
    listen 127.0.0.1:{port};
    keepalive_requests 1000000;
    location / {{ default_type application/json; return 200 '{body}'; }}
  }}
}}
"""
HEADERS = [
    (b"authorization", b"Bearer " + b"x" * 800),
    (b"accept", b"application/json"),
    (b"x-forwarded-for", b"127.0.0.1"),
    (b"x-forwarded-proto", b"http"),
    (b"x-request-id", b"6f1c2d7e-0000-4000-8000-000000000000"),
]
TIMEOUT = {"connect": 2.0, "read": 15.0, "write": 15.0, "pool": 2.0}

Send = Callable[[], Awaitable[int]]


async def measure(send: Send, requests: int, in_flight: int) -> tuple[float, float]:
    """CPU ms per request and requests/s for ``requests`` sends, ``in_flight`` at a time."""
    for _ in range(100):
        await send()
    cpu, wall = time.process_time(), time.perf_counter()

    async def worker() -> None:
        for _ in range(requests // in_flight):
            await send()

    await asyncio.gather(*(worker() for _ in range(in_flight)))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return 1000 * cpu / requests, requests / wall


async def with_httpx(url: str, requests: int, in_flight: int) -> tuple[float, float]:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    target = httpx.URL(url)

    async def send() -> int:
        request = httpx.Request("GET", target, headers=HEADERS, extensions={"timeout": TIMEOUT})
        response = await transport.handle_async_request(request)
        body = b"".join([chunk async for chunk in response.aiter_raw()])
        await response.aclose()
        return len(body)

    try:
        return await measure(send, requests, in_flight)
    finally:
        await transport.aclose()


async def with_aiohttp(url: str, requests: int, in_flight: int) -> tuple[float, float]:
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0, limit_per_host=100),
        cookie_jar=aiohttp.DummyCookieJar(),
        skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),
        auto_decompress=False,
    )
    timeout = aiohttp.ClientTimeout(total=None, connect=4.0, sock_connect=2.0, sock_read=15.0)

    async def send() -> int:
        headers = CIMultiDict((k.decode("latin-1"), v.decode()) for k, v in HEADERS)
        response = await session.request(
            "GET", url, headers=headers, allow_redirects=False, timeout=timeout
        )
        body = await response.read()
        response.release()
        return len(body)

    try:
        return await measure(send, requests, in_flight)
    finally:
        await session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median)")
    parser.add_argument("--quick", action="store_true", help="short runs (for make bench)")
    args = parser.parse_args()
    requests, rounds = (800, 1) if args.quick else (args.requests, args.rounds)
    ensure_tools()
    with tempfile.TemporaryDirectory(prefix="client-bench-") as tmp:
        port = free_port()
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(nginx_conf(tmp, NGINX_FIXED, port=port, body=BODY))
        nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", tmp])
        try:
            url = f"http://127.0.0.1:{port}/api/meldingen/v1/meldingen?pageSize=1"
            wait_until(url)
            report(url, requests, rounds)
        finally:
            nginx.terminate()
            nginx.wait(10)


def report(url: str, requests: int, rounds: int) -> None:
    print(f"{requests} GETs per client and round, median of {rounds} interleaved rounds")
    print(f"{'in flight':<10}{'client':<9}{'cpu ms/req':>11}{'req/s':>9}")
    for in_flight in (1, 16):
        results: dict[str, list[tuple[float, float]]] = {"httpx": [], "aiohttp": []}
        for _ in range(rounds):
            results["httpx"].append(asyncio.run(with_httpx(url, requests, in_flight)))
            results["aiohttp"].append(asyncio.run(with_aiohttp(url, requests, in_flight)))
        medians = {}
        for name, runs in results.items():
            cpu = sorted(r[0] for r in runs)[len(runs) // 2]
            rate = sorted(r[1] for r in runs)[len(runs) // 2]
            medians[name] = cpu
            print(f"{in_flight:<10}{name:<9}{cpu:>11.3f}{rate:>9.0f}")
        ratio = medians["httpx"] / medians["aiohttp"]
        print(f"{'':<10}httpx ÷ aiohttp CPU per request: {ratio:.1f}x")
    print("command: .venv/bin/python benchmarks/upstream_client.py")


if __name__ == "__main__":
    main()
