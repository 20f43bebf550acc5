"""An end-to-end run's logs hold no token, no request body text and no reporter subject.

Real processes: the dev IdP, meldingen and (when it is there) the gateway in front of it.
A melding goes through create, note, status change, failed and refused requests; then every
process's log is searched for what must never be in it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import Backend
from tests.support.processes import RunningProcess, free_port, start_process

pytestmark = pytest.mark.e2e
BASE = "/api/meldingen/v1"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[dict[str, RunningProcess]]:
    port = free_port()
    processes: dict[str, RunningProcess] = {}
    try:
        processes["devidp"] = start_process(
            "devidp",
            ["devidp", "serve"],
            env={
                "WEERBAAR_DATA_DIR": str(tmp_path / "idp"),
                "WEERBAAR_OIDC_ISSUER": f"http://127.0.0.1:{port}",
            },
            log_dir=tmp_path,
            port=port,
        )
        issuer = processes["devidp"].url
        backend = Backend("logs", tmp_path / "data")
        backend.migrate("meldingen")
        processes["meldingen"] = start_process(
            "meldingen",
            ["services.meldingen", "serve"],
            env={
                **backend.env(),
                "WEERBAAR_OIDC_ISSUER": issuer,
                "WEERBAAR_ENV": "test",
                "WEERBAAR_LOG_LEVEL": "DEBUG",
            },
            log_dir=tmp_path,
            ready_path="/health/ready",
        )
        if (Path(__file__).parents[2] / "gateway" / "app.py").exists():
            from tests.e2e.gateway_processes import start_gateway

            processes["gateway"] = start_gateway(
                tmp_path,
                issuer,
                {"meldingen": processes["meldingen"].url},
                log_level="DEBUG",
                rate_limits=json.dumps({"*": "1000/1000"}),
            )
        yield processes
    finally:
        for process in reversed(processes.values()):
            process.stop()


def _token(idp: RunningProcess, sub: str, roles: list[str], org: str) -> str:
    response = httpx.post(
        f"{idp.url}/dev/token", json={"sub": sub, "roles": roles, "org": org}, timeout=10
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def test_logs_hold_no_token_body_text_or_reporter_subject(
    stack: dict[str, RunningProcess],
) -> None:
    secret = uuid.uuid4().hex[:8]
    reporter = f"melder-{secret}-sub"
    omschrijving = f"Hij stond om middernacht voor mijn deur op Kerkstraat {secret}"
    note = f"Notitie-{secret}: buurman heeft camerabeelden"
    bad_text = f"kapot-{secret}"
    org = "GM0518"
    melder_token = _token(stack["devidp"], reporter, ["melder"], org)
    handler_token = _token(stack["devidp"], f"handler-{secret}", ["behandelaar"], org)
    melder = {"Authorization": f"Bearer {melder_token}"}
    handler = {"Authorization": f"Bearer {handler_token}"}
    front = stack.get("gateway", stack["meldingen"]).url
    body = {
        "gedragstype": "instrumentele_agressie",
        "vormen": ["bedreiging"],
        "omschrijving": omschrijving,
        "datumVoorval": "2026-10-01T23:59:00+02:00",
        "functie": "burgemeester",
    }
    with httpx.Client(base_url=front, timeout=10) as http:
        created = http.post(
            f"{BASE}/meldingen", json=body, headers={**melder, "Idempotency-Key": secret}
        )
        assert created.status_code == 201, created.text
        melding = created.json()["id"]
        assert (
            http.post(
                f"{BASE}/meldingen/{melding}/notities",
                json={"tekst": note, "zichtbaarVoorMelder": True},
                headers=handler,
            ).status_code
            == 201
        )
        assert (
            http.post(
                f"{BASE}/meldingen/{melding}/statuswijzigingen",
                json={"status": "in_behandeling", "toelichting": note},
                headers=handler,
            ).status_code
            == 201
        )
        invalid = http.post(f"{BASE}/meldingen", json={**body, "functie": bad_text}, headers=melder)
        assert invalid.status_code == 400
        malformed = http.post(
            f"{BASE}/meldingen",
            content=f'{{"omschrijving": "{bad_text}'.encode(),
            headers={**melder, "Content-Type": "application/json"},
        )
        assert malformed.status_code == 400
        tampered = melder_token[:-6] + "AAAAAA"
        assert (
            http.get(
                f"{BASE}/meldingen", headers={"Authorization": f"Bearer {tampered}"}
            ).status_code
            == 401
        )
        assert http.get(
            f"{BASE}/meldingen",
            params={"kenmerk": bad_text, "access_token": melder_token},
            headers=melder,
        ).status_code in (200, 400)
        assert http.get(f"{BASE}/meldingen/{melding}", headers=melder).status_code == 200

    for name, process in stack.items():
        log = process.log()
        assert log, name
        for token in (melder_token, handler_token, melder_token.split(".")[1], tampered):
            assert token not in log, f"a token in the {name} log"
        for text in (omschrijving, "Kerkstraat", note, "camerabeelden", bad_text):
            assert text not in log, f"request body text {text!r} in the {name} log"
        assert reporter not in log, f"the reporter's subject in the {name} log"
        assert secret not in log, f"request data ({secret}) in the {name} log"
