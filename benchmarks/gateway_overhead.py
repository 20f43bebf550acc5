"""What the gateway costs: one cheap authenticated GET, directly, through the gateway, via nginx.

In one run, on loopback: the dev IdP, meldingen (SQLite), the gateway and nginx as a plain
reverse proxy to the same service; ``wrk`` (from Debian, installed when missing) loads each
target in turn with the same token and prints requests/s, p50 and p99, then the ratios
gateway/direct and gateway/nginx. Target (issue 7): at least 70% of direct throughput and
under 2 ms added at p50 at moderate load.

    .venv/bin/python benchmarks/gateway_overhead.py [--quick] [--connections 16] [--seconds 10]

``--postgres ADMIN_URL`` puts meldingen on a new PostgreSQL database (dropped afterwards)
instead of SQLite. ``--baseline REF`` also runs the gateway as it was at git ref REF (from a
temporary worktree, on the same virtual environment) beside today's, interleaved in the same
rounds, so a change's effect on CPU per request is read from one run on one machine load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from services.common.crypto import generate_key_spec

ROOT = Path(__file__).resolve().parents[1]
PATH = "/api/meldingen/v1/meldingen?pageSize=1"
MODERATE = 2  # connections for the latency comparison: well below saturation
NGINX_PREAMBLE = """
worker_processes 1;
daemon off;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/nginx-body;
  proxy_temp_path {tmp}/nginx-proxy;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
"""
NGINX_PROXY = """
  upstream service {{ server 127.0.0.1:{upstream}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://service;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"""


def nginx_conf(tmp: Path | str, servers: str, **values: object) -> str:
    """An nginx configuration run as this user from ``tmp``, with these ``http`` blocks."""
    user = "user root root;" if os.geteuid() == 0 else ""
    return (NGINX_PREAMBLE + servers).format(user=user, tmp=tmp, **values)


@dataclass(frozen=True)
class Result:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    # CPU milliseconds per request spent by each measured process during the run.
    cpu_ms: dict[str, float]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_tools() -> None:
    missing = [tool for tool in ("wrk", "nginx") if shutil.which(tool) is None]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"missing {missing}: install the Debian packages wrk and nginx")
    packages = ["wrk" if tool == "wrk" else "nginx" for tool in missing]
    print(f"installing {packages} from Debian …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def wait_until(url: str, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in {timeout}s")


@contextmanager
def process(
    args: list[str],
    env: Mapping[str, str],
    log: Path,
    ready: str | None,
    cwd: Path = ROOT,
    ready_timeout: float = 40.0,
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args, cwd=cwd, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        if ready:
            try:
                wait_until(ready, ready_timeout)
            except RuntimeError:
                print(log.read_text(errors="replace")[-2000:], file=sys.stderr)
                raise
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value.strip())
    if match is None:
        raise ValueError(f"unexpected wrk latency {value!r}")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1e3, "m": 6e4, "h": 3.6e6}[unit]


def run_wrk(
    name: str,
    url: str,
    token: str,
    connections: int,
    seconds: int,
    pids: Mapping[str, int] | None = None,
) -> Result:
    auth = f"Authorization: Bearer {token}"
    warm = ["wrk", "-t1", "-c2", "-d1s", "-H", auth, url]
    subprocess.run(warm, check=True, capture_output=True)
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        auth,
        url,
    ]
    before = {proc: cpu_seconds(pid) for proc, pid in (pids or {}).items()}
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    spent = {proc: cpu_seconds(pid) - before[proc] for proc, pid in (pids or {}).items()}
    if "Requests/sec" not in output or "50%" not in output:
        raise RuntimeError(f"wrk said:\n{output}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = int(non2xx.group(1)) if non2xx else 0
    count = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    cpu = {proc: 1000 * seconds_used / max(count, 1) for proc, seconds_used in spent.items()}
    return Result(name, rps, p50, p99, errors, cpu)


def median(results: list[Result]) -> Result:
    ordered = sorted(results, key=lambda r: r.requests_per_second)
    middle = ordered[len(ordered) // 2]
    return Result(
        middle.name,
        middle.requests_per_second,
        sorted(r.p50_ms for r in results)[len(results) // 2],
        sorted(r.p99_ms for r in results)[len(results) // 2],
        sum(r.errors for r in results),
        middle.cpu_ms,
    )


BUCKETS = {
    "token verification (python-jose, RSA)": ("jose/", "services/common/auth.py"),
    "httpx/httpcore client": ("httpx/", "httpcore/"),
    "access log (logging, JSON)": ("logging/", "services/common/logging.py"),
    "metrics (prometheus_client)": ("prometheus_client/",),
    "rate limiting": ("gateway/ratelimit.py",),
    "uvicorn/h11/httptools": ("uvicorn/", "h11/", "httptools/"),
    "asyncio event loop": ("asyncio/", "uvloop"),
}


def profile_gateway(pid: int, url: str, token: str, connections: int, out: Path) -> None:
    """py-spy the gateway under the same load; print where its samples fall."""
    spy = shutil.which("py-spy")
    if spy is None:
        print("py-spy not found (e.g. `uv tool install py-spy`): no profile")
        return
    recorder = subprocess.Popen(
        [spy, "record", "-p", str(pid), "-d", "8", "-r", "200", "-f", "raw", "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    run_wrk("profile", url, token, connections, 8)
    recorder.wait(60)
    totals: dict[str, int] = dict.fromkeys(BUCKETS, 0)
    samples = 0
    for line in out.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        samples += count
        for bucket, needles in BUCKETS.items():
            if any(needle in stack for needle in needles):
                totals[bucket] += count
    print(f"py-spy of the gateway under load ({samples} samples; a sample may count twice):")
    for bucket, count in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {bucket:<40}{100 * count / max(samples, 1):>6.1f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (for make bench)")
    parser.add_argument("--connections", type=int, default=None)
    parser.add_argument("--seconds", type=int, default=None)
    parser.add_argument("--gateway-workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds (median)")
    parser.add_argument(
        "--profile", type=Path, default=None, help="py-spy the gateway; collapsed stacks here"
    )
    parser.add_argument(
        "--baseline", default=None, help="also run the gateway as at this git ref, side by side"
    )
    parser.add_argument(
        "--postgres",
        default=None,
        metavar="ADMIN_URL",
        help="meldingen on a new PostgreSQL database made here (default: SQLite)",
    )
    args = parser.parse_args()
    connections = args.connections or (8 if args.quick else 16)
    seconds = args.seconds or (3 if args.quick else 10)
    rounds = args.rounds or (1 if args.quick else 3)
    ensure_tools()
    with tempfile.TemporaryDirectory(prefix="gw-bench-") as tmp_name, ExitStack() as stack:
        tmp = Path(tmp_name)
        idp_port, svc_port, gw_port, nginx_port = (free_port() for _ in range(4))
        issuer = f"http://127.0.0.1:{idp_port}"
        common = {
            "WEERBAAR_DATA_DIR": str(tmp / "data"),
            "WEERBAAR_OIDC_ISSUER": issuer,
            "WEERBAAR_DATA_KEYS": generate_key_spec("bench-1"),
        }
        database = stack.enter_context(upstream_database(args.postgres))
        service, service_proc = start_upstream(stack, common, tmp, idp_port, svc_port, database)
        gateway = f"http://127.0.0.1:{gw_port}"
        gateway_proc = stack.enter_context(
            start_gateway(common, gw_port, service, args.gateway_workers, tmp / "gateway.log")
        )
        extra = start_baseline(stack, args, common, service, tmp)
        conf = tmp / "nginx.conf"
        conf.write_text(nginx_conf(tmp, NGINX_PROXY, upstream=svc_port, port=nginx_port))
        nginx = f"http://127.0.0.1:{nginx_port}"
        stack.enter_context(
            process(
                ["nginx", "-c", str(conf), "-p", str(tmp)],
                {},
                tmp / "nginx.log",
                f"{nginx}/health/live",
            )
        )
        token = token_for_all(issuer, [service, gateway, nginx, *(url for _, url, _ in extra)])
        print(
            f"wrk -t2 -c{connections} -d{seconds}s GET {PATH} (authenticated), "
            f"{os.cpu_count()} cores, gateway workers: {args.gateway_workers}, "
            f"meldingen on {'PostgreSQL' if args.postgres else 'SQLite'}",
            flush=True,
        )
        targets = [("direct", service), ("gateway", gateway), ("nginx", nginx)]
        targets += [(name, url) for name, url, _ in extra]
        pids = {"service": service_proc.pid}
        if args.gateway_workers == 1:
            pids["gateway"] = gateway_proc.pid
            pids.update({name: proc.pid for name, _, proc in extra})
        runs: dict[str, list[Result]] = {name: [] for name, _ in targets}
        calm: dict[str, list[Result]] = {name: [] for name, _ in targets}
        # Interleaved rounds, median per target: a busy machine hits all three alike.
        for _ in range(rounds):
            for name, base in targets:
                url = base + PATH
                runs[name].append(run_wrk(name, url, token, connections, seconds, pids))
                calm[name].append(run_wrk(name, url, token, MODERATE, seconds))
        results = [median(runs[name]) for name, _ in targets]
        moderate = [median(calm[name]) for name, _ in targets]
        if args.profile is not None:
            profile_gateway(gateway_proc.pid, gateway + PATH, token, connections, args.profile)
    report(results, moderate, pids, connections, rounds)


def start_upstream(
    stack: ExitStack,
    common: Mapping[str, str],
    tmp: Path,
    idp_port: int,
    svc_port: int,
    database: Mapping[str, str],
) -> tuple[str, subprocess.Popen[bytes]]:
    """The dev IdP and meldingen (migrated) while ``stack`` lasts; meldingen's URL and process."""
    python = sys.executable
    issuer = common["WEERBAAR_OIDC_ISSUER"]
    stack.enter_context(
        process(
            [python, "-m", "devidp", "serve"],
            {**common, "WEERBAAR_PORT": str(idp_port)},
            tmp / "devidp.log",
            f"{issuer}/health/live",
        )
    )
    subprocess.run(
        [python, "-m", "services.meldingen", "migrate"],
        cwd=ROOT,
        env={**os.environ, **common, **database},
        check=True,
        capture_output=True,
    )
    service = f"http://127.0.0.1:{svc_port}"
    proc = stack.enter_context(
        process(
            [python, "-m", "services.meldingen", "serve"],
            {**common, **database, "WEERBAAR_PORT": str(svc_port), "WEERBAAR_LOG_LEVEL": "WARNING"},
            tmp / "meldingen.log",
            f"{service}/health/ready",
        )
    )
    return service, proc


@contextmanager
def upstream_database(admin_url: str | None) -> Iterator[dict[str, str]]:
    """meldingen's database settings: none (SQLite), or a new PostgreSQL database, dropped after.

    SQLite begins every transaction IMMEDIATE, so parallel reads queue and the upstream's p99
    reaches a second under 16 connections; PostgreSQL is what production runs.
    """
    if admin_url is None:
        yield {}
        return
    from tests.support import postgres

    url = postgres.create_database(admin_url, prefix="wb_bench_gateway")
    try:
        yield {"WEERBAAR_DATABASE_URL": url}
    finally:
        postgres.drop_database(admin_url, url)


def token_for_all(issuer: str, bases: list[str]) -> str:
    """A melder's token, checked against every target before anything is timed."""
    token: str = httpx.post(
        f"{issuer}/dev/token",
        json={"sub": "bench-melder", "roles": ["melder"], "org": "GM0363"},
    ).json()["access_token"]
    for base in bases:
        check = httpx.get(base + PATH, headers={"Authorization": f"Bearer {token}"})
        check.raise_for_status()
    return token


def start_baseline(
    stack: ExitStack, args: argparse.Namespace, common: Mapping[str, str], service: str, tmp: Path
) -> list[tuple[str, str, subprocess.Popen[bytes]]]:
    """With ``--baseline REF``: (name, url, process) of the gateway as at REF; else nothing."""
    if not args.baseline:
        return []
    tree = stack.enter_context(worktree_at(args.baseline, tmp / "baseline"))
    port = free_port()
    proc = stack.enter_context(
        start_gateway(common, port, service, args.gateway_workers, tmp / "baseline.log", cwd=tree)
    )
    return [(f"gw@{args.baseline}"[:10], f"http://127.0.0.1:{port}", proc)]


@contextmanager
def worktree_at(ref: str, path: Path) -> Iterator[Path]:
    """The repository as at ``ref``, checked out beside this one for as long as it is needed."""
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(path), ref],
        check=True,
    )
    try:
        yield path
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], check=False
        )


@contextmanager
def start_gateway(
    common: Mapping[str, str],
    port: int,
    service: str,
    workers: int,
    log: Path,
    cwd: Path = ROOT,
    prefix: Sequence[str] = (),
    ready_timeout: float = 40.0,
) -> Iterator[subprocess.Popen[bytes]]:
    """The gateway on ``port`` in front of ``service``; ``prefix`` runs it under a tool."""
    with process(
        [*prefix, sys.executable, "-m", "gateway", "serve"],
        {
            # Its own metrics listener: never the default port of a running `make run`.
            "WEERBAAR_METRICS_PORT": str(free_port()),
            **common,
            "WEERBAAR_PORT": str(port),
            "WEERBAAR_MELDINGEN_URL": service,
            "WEERBAAR_BEVEILIGING_URL": "",
            "WEERBAAR_KENNISBANK_URL": "",
            # INFO: the access line per request is part of the gateway's cost.
            "WEERBAAR_LOG_LEVEL": "INFO",
            "WEERBAAR_WORKERS": str(workers),
            # Limits stay on (their cost is part of the overhead) but never bite.
            "WEERBAAR_RATE_LIMITS": json.dumps({"*": "1000000/1000000"}),
        },
        log,
        f"http://127.0.0.1:{port}/health/ready",
        cwd=cwd,
        ready_timeout=ready_timeout,
    ) as proc:
        yield proc


def report(
    results: list[Result],
    moderate: list[Result],
    pids: dict[str, int],
    connections: int,
    rounds: int,
) -> None:
    """The table and the ratios against the targets; exits non-zero when any answer was not 2xx."""
    print(f"saturation: wrk -c{connections}; moderate: wrk -c{MODERATE}; median of {rounds} rounds")
    header = f"{'target':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'calm p50':>10}"
    short = {"service": "svc", "gateway": "gw"}
    print(header + " " + "".join(f"{short.get(k, k) + ' cpu/req':>18}" for k in pids))
    for r, m in zip(results, moderate, strict=True):
        cpu = "".join(f"{r.cpu_ms[k]:>18.2f}" if k in r.cpu_ms else f"{'-':>18}" for k in pids)
        print(
            f"{r.name:<10}{r.requests_per_second:>9.1f}{r.p50_ms:>9.2f}{r.p99_ms:>9.2f}"
            f"{m.p50_ms:>10.2f} {cpu}"
        )
    direct, through, plain = results[:3]
    calm_direct, calm_through, calm_plain = moderate[:3]
    ratio_direct = through.requests_per_second / direct.requests_per_second
    ratio_nginx = through.requests_per_second / plain.requests_per_second
    print(f"gateway/direct throughput: {ratio_direct:.2f}  (target >= 0.70)")
    print(f"gateway/nginx throughput:  {ratio_nginx:.2f}")
    print(
        f"nginx/direct throughput:   {plain.requests_per_second / direct.requests_per_second:.2f}"
    )
    added = calm_through.p50_ms - calm_direct.p50_ms
    print(f"added p50 at moderate load, gateway: {added:.2f} ms (target < 2 ms)")
    print(f"added p50 at moderate load, nginx:   {calm_plain.p50_ms - calm_direct.p50_ms:.2f} ms")
    for r in results[3:]:
        ratio = r.requests_per_second / direct.requests_per_second
        print(f"{r.name}/direct throughput: {ratio:.2f}")
        if "gateway" in through.cpu_ms and r.name in r.cpu_ms:
            today, before = through.cpu_ms["gateway"], r.cpu_ms[r.name]
            print(f"gateway CPU per request, today ÷ {r.name}: {today / before:.2f}")
    if any(r.errors for r in (*results, *moderate)):
        sys.exit("some answers were not 2xx: the numbers are not comparable")


if __name__ == "__main__":
    main()
