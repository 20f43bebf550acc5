"""What the gateway costs, counted in instructions: the figure that does not move with load.

CPU time per request on a shared 2-core machine swings by a factor of 1.5 between runs of
the same code (benchmarks/gateway_overhead.py). This runs the gateway under valgrind's
callgrind, which counts the instructions the process executes, whatever else the machine
does: the dev IdP and meldingen (SQLite) run natively, the gateway runs with instrumentation
switched off until it is warm, then ``--requests`` authenticated GETs go through it
(``--concurrency`` in flight) with counting on, and the count is divided by the requests.
User-space instructions only: the kernel's share of each request (the system calls) is not
in it, and time per instruction is not either, so the figure compares code, not machines.

    .venv/bin/python benchmarks/gateway_instructions.py [--requests 400] [--baseline REF]

``--baseline REF`` also counts the gateway as it was at git ref REF (from a temporary
worktree), started beside today's, and prints the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.gateway_overhead import (
    PATH,
    ROOT,
    free_port,
    start_gateway,
    start_upstream,
    token_for_all,
    worktree_at,
)
from services.common.crypto import generate_key_spec

WARM_UP = 50  # requests before counting: connection pools, caches, lazy imports
STARTUP_SECONDS = 600.0  # the interpreter starts some 50x slower under valgrind


def ensure_valgrind() -> None:
    if shutil.which("valgrind") and shutil.which("callgrind_control"):
        return
    if os.geteuid() != 0:
        sys.exit("valgrind not found: install the Debian package valgrind")
    print("installing valgrind from Debian …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "valgrind"], check=True, env=env)


async def load(url: str, token: str, requests: int, concurrency: int) -> None:
    """``requests`` GETs of PATH, ``concurrency`` at a time; every answer must be 200."""
    headers = {"Authorization": f"Bearer {token}"}
    numbers = iter(range(requests))
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=300) as client:

        async def worker() -> None:
            for _ in numbers:
                response = await client.get(PATH)
                if response.status_code != 200:
                    raise RuntimeError(f"{response.status_code}: {response.text[:200]}")

        await asyncio.gather(*(worker() for _ in range(concurrency)))


def callgrind(pid: int, *options: str) -> None:
    subprocess.run(["callgrind_control", *options, str(pid)], check=True, capture_output=True)


def counted(out: Path) -> int:
    """Instructions in the dump made after zeroing (the file with the highest part number)."""
    dumps = sorted(out.parent.glob(out.name + ".*"), key=lambda p: int(p.suffix[1:]))
    if not dumps:
        raise RuntimeError(f"callgrind wrote no dump next to {out}")
    # "totals:" is the dump's count; its "summary:" line stays 0 when instrumentation is
    # switched on at run time.
    for line in dumps[-1].read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise RuntimeError(f"no totals in {dumps[-1]}")


def measure(pid: int, url: str, token: str, out: Path, args: argparse.Namespace) -> float:
    asyncio.run(load(url, token, WARM_UP, args.concurrency))
    callgrind(pid, "--zero")
    callgrind(pid, "--instr=on")
    asyncio.run(load(url, token, args.requests, args.concurrency))
    callgrind(pid, "--instr=off")
    callgrind(pid, "--dump")
    requests: int = args.requests
    return counted(out) / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 requests (for make bench)")
    parser.add_argument("--requests", type=int, default=None, help="counted requests (400)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--baseline", default=None, help="also count the gateway as at this ref")
    args = parser.parse_args()
    args.requests = args.requests or (100 if args.quick else 400)
    ensure_valgrind()
    with tempfile.TemporaryDirectory(prefix="gw-instr-") as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        idp_port, svc_port = free_port(), free_port()
        issuer = f"http://127.0.0.1:{idp_port}"
        common = {
            "WEERBAAR_DATA_DIR": str(tmp / "data"),
            "WEERBAAR_OIDC_ISSUER": issuer,
            "WEERBAAR_DATA_KEYS": generate_key_spec("bench-1"),
            "PYTHONHASHSEED": "0",  # the same dict layouts in every run
        }
        service, _ = start_upstream(stack, common, tmp, idp_port, svc_port, {})
        trees = [("today", ROOT)]
        if args.baseline:
            baseline = stack.enter_context(worktree_at(args.baseline, tmp / "baseline"))
            trees.append((args.baseline, baseline))
        gateways = []
        for name, tree in trees:
            port = free_port()
            out = tmp / f"callgrind-{port}.out"
            prefix = ["valgrind", "--tool=callgrind", "--instr-atstart=no"]
            proc = stack.enter_context(
                start_gateway(
                    common,
                    port,
                    service,
                    1,
                    tmp / f"gateway-{port}.log",
                    cwd=tree,
                    prefix=[*prefix, f"--callgrind-out-file={out}"],
                    ready_timeout=STARTUP_SECONDS,
                )
            )
            gateways.append((name, proc.pid, f"http://127.0.0.1:{port}", out))
        token = token_for_all(issuer, [service, *(url for _, _, url, _ in gateways)])
        counts = {name: measure(pid, url, token, out, args) for name, pid, url, out in gateways}
    print(
        f"gateway instructions per proxied GET {PATH} (callgrind, user space, "
        f"{args.requests} requests, {args.concurrency} in flight, after {WARM_UP} to warm up)"
    )
    for name, count in counts.items():
        print(f"  {name:<12}{count:>14,.0f}")
    if args.baseline:
        print(f"today ÷ {args.baseline}: {counts['today'] / counts[args.baseline]:.3f}")
    command = f".venv/bin/python benchmarks/gateway_instructions.py --requests {args.requests}"
    print("command: " + command + (f" --baseline {args.baseline}" if args.baseline else ""))


if __name__ == "__main__":
    main()
