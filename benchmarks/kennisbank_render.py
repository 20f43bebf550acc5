"""What rendering an article costs, and what the event loop sees while one renders.

Part 1 renders pathological and ordinary 100,000-character articles with the service's own
renderer (`naar_html`: markdown-it + nh3) and prints the CPU seconds of each: what a read
used to cost before the HTML was stored, and why `inhoud` holds at most `MAX_OPMAAKTEKENS`
of `[ * _ < ``. Part 2 renders the worst allowed article through `render` (a worker thread)
while the event loop ticks every 10 ms, and prints the longest gap between ticks: how long
`/health/live` would have waited.

    .venv/bin/python benchmarks/kennisbank_render.py
"""

from __future__ import annotations

import asyncio
import time

from services.kennisbank.artikel.rendering import MAX_OPMAAKTEKENS, naar_html, render

LENGTE = 100_000
B = MAX_OPMAAKTEKENS


def _vul(begin: str) -> str:
    return (begin + "x" * LENGTE)[:LENGTE]


CASES = {
    "50,000 x '![' (the attack)": "![" * 50_000,
    "100,000 x '['": "[" * 100_000,
    "50,000 x '*_'": "*_" * 50_000,
    "20,000 x '<div>'": "<div>" * 20_000,
    "ordinary prose with links": (
        "Dit is een gewone alinea met **vet** en [een link](https://example.org).\n\n" * 1_400
    )[:LENGTE],
    f"limit: {B} x '[x' + filler": _vul("[x" * B),
    f"limit: {B // 3} x '![' + {B // 3} x '*_'": _vul("![" * (B // 3) + "*_" * (B // 3)),
    f"limit: {B} x '*a' + filler": _vul("*a" * B),
    f"limit: {B} x '<div>' + filler": _vul("<div>" * B),
}


def cpu_seconds(markdown: str) -> float:
    started = time.process_time()
    naar_html(markdown)
    return time.process_time() - started


async def longest_loop_gap(markdown: str) -> tuple[float, float]:
    gaps: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last - 0.01)
            last = now

    ticker = asyncio.create_task(tick())
    started = time.perf_counter()
    await render(markdown)
    took = time.perf_counter() - started
    done.set()
    await ticker
    return took, max(gaps, default=0.0)


def main() -> None:
    print(f"{'article':45} {'CPU s':>7}")
    for name, markdown in CASES.items():
        print(f"{name:45} {cpu_seconds(markdown):7.3f}")
    worst = max((m for n, m in CASES.items() if n.startswith("limit")), key=cpu_seconds)
    took, gap = asyncio.run(longest_loop_gap(worst))
    print(f"\nworst allowed article in a worker thread: {took:.3f} s;", end=" ")
    print(f"longest event-loop gap meanwhile: {gap * 1000:.1f} ms")


if __name__ == "__main__":
    main()
