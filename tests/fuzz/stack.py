"""The fuzz stack on its own, for an independent schemathesis run through the gateway.

    .venv/bin/python -m tests.fuzz.stack [--postgres ADMIN_URL] [--dir DIR]

starts the dev IdP and the whole platform (a throwaway PostgreSQL database when
``--postgres`` is given, else SQLite under DIR) with FUZZ_GATEWAY_SETTINGS, writes
``DIR/stack.json`` (the gateway URL and a token per role) and prints a schemathesis command
per role; Ctrl-C (or SIGTERM) stops everything and drops the database. docs/schemathesis.md
has the whole procedure and what its findings meant.
"""

from __future__ import annotations

import argparse
import json
import shlex
import signal
import tempfile
import threading
from pathlib import Path

import httpx

from tests.conftest import Backend, DevIdp
from tests.support import postgres
from tests.support.processes import free_port, start_process
from tests.support.stack import ALL_SERVICES, FUZZ_GATEWAY_SETTINGS, running_stack

ROLES = {
    "melder": (["melder"], "GM0599"),
    "behandelaar": (["behandelaar"], "GM0599"),
    "beveiligingsadviseur": (["beveiligingsadviseur"], "GM0599"),
    "redacteur": (["redacteur"], "OWB"),
    "analist": (["analist"], "OWB"),
    "beheerder": (["beheerder"], "OWB"),
}
# A partner system signs in with client_credentials (devidp/clients.dev.json), as in the README.
PARTNER = ("partner-gm0363", "partner-gm0363-secret")


def _partner_token(issuer: str) -> str:
    response = httpx.post(
        f"{issuer}/token",
        data={"grant_type": "client_credentials"},
        auth=PARTNER,
        timeout=10,
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def _command(gateway: str, role: str, stack_file: Path) -> str:
    token = f'$(python3 -c \'import json; print(json.load(open("{stack_file}"))["{role}"])\')'
    return " ".join(
        [
            ".venv/bin/schemathesis run",
            shlex.quote(f"{gateway}/api/openapi.json"),
            f'-H "Authorization: Bearer {token}"',
            "--checks all -m all --phases examples,coverage,fuzzing,stateful",
            "-n 200 -w 1 --seed 1 --generation-database none --max-time 240",
            f"--report ndjson --report-dir schemathesis-{role}",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="ADMIN_URL", help="run on a new database there")
    parser.add_argument("--dir", type=Path, default=None, help="data and logs (default: a tmp dir)")
    args = parser.parse_args()
    base: Path = args.dir or Path(tempfile.mkdtemp(prefix="weerbaar-fuzz-"))
    base.mkdir(parents=True, exist_ok=True)
    port = free_port()
    idp = DevIdp(
        start_process(
            "devidp",
            ["devidp", "serve"],
            env={
                "WEERBAAR_DATA_DIR": str(base / "idp"),
                "WEERBAAR_OIDC_ISSUER": f"http://127.0.0.1:{port}",
            },
            log_dir=base / "logs",
            port=port,
        )
    )
    database_url = postgres.create_database(args.postgres, "wb_fuzz") if args.postgres else None
    (base / "data").mkdir(exist_ok=True)
    backend = Backend("postgres" if database_url else "sqlite", base / "data", database_url)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        with running_stack(
            backend,
            idp.issuer,
            base / "logs",
            services_started=ALL_SERVICES,
            **FUZZ_GATEWAY_SETTINGS,
        ) as stack:
            url = stack.gateway.url
            tokens = {role: idp.token(f"fuzz-{role}", *spec) for role, spec in ROLES.items()}
            tokens["partner"] = _partner_token(idp.issuer)
            stack_file = base / "stack.json"
            stack_file.write_text(json.dumps({"gateway": url, **tokens}), encoding="utf-8")
            print(f"gateway {url} ({backend.name}); logs in {base / 'logs'}")
            for role in tokens:
                print(f"\n# as {role}\n{_command(url, role, stack_file)}")
            stop.wait()
    finally:
        idp.process.stop()
        if database_url:
            postgres.drop_database(args.postgres, database_url)


if __name__ == "__main__":
    main()
