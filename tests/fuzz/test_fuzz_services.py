"""Contract fuzzing of each service's OpenAPI document, for several roles (see harness.py).

Bounded for CI (WEERBAAR_FUZZ_EXAMPLES examples per operation, role and mode; default 10);
`WEERBAAR_FUZZ_EXAMPLES=200 pytest tests/fuzz` is the long run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Backend, DevIdp
from tests.fuzz.harness import Caller, fuzz_service, load_schema
from tests.meldingen.conftest import melding_body

pytestmark = pytest.mark.timeout(240)


def _report(findings: list[object], statuses: dict[str, int]) -> None:
    print("responses:", ", ".join(f"{k}×{v}" for k, v in sorted(statuses.items())))
    assert not findings, f"{len(findings)} contract violations:\n\n" + "\n\n".join(
        map(str, findings)
    )


def test_meldingen_contract_holds_under_fuzzing(
    fuzz_client: Callable[..., TestClient], devidp: DevIdp, unique_org: Callable[[], str]
) -> None:
    from services.meldingen.app import create_app
    from services.meldingen.config import MeldingenSettings

    base = "/api/meldingen/v1"
    client = fuzz_client("meldingen", create_app, MeldingenSettings)
    org = unique_org()
    melder = devidp.headers("fuzz-melder", ["melder"], org)
    handler = devidp.headers("fuzz-handler", ["behandelaar"], org)
    ids = []
    for vertrouwelijk in (False, True):
        body = melding_body(vertrouwelijk=vertrouwelijk)
        created = client.post(f"{base}/meldingen", json=body, headers=melder)
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    reach = {"id": ids}
    callers = [
        Caller("melder", melder, reach),
        Caller("behandelaar", handler, reach),
        Caller("owb-behandelaar", devidp.headers("fuzz-owb", ["behandelaar"], "OWB"), reach),
        Caller("analist", devidp.headers("fuzz-analist", ["analist"], org), reach),
        Caller("beheerder", devidp.headers("fuzz-beheerder", ["beheerder"], org), reach),
    ]
    schema = load_schema(client, f"{base}/openapi.json", base)
    _report(*fuzz_service(client, schema, callers))


def test_beveiliging_contract_holds_under_fuzzing(
    fuzz_client: Callable[..., TestClient],
    fuzz_backend: Backend,
    devidp: DevIdp,
    unique_org: Callable[[], str],
) -> None:
    from services.beveiliging.app import create_app
    from services.beveiliging.config import BeveiligingSettings
    from services.beveiliging.seed import seed
    from tests.beveiliging.helpers import BASE, scan_aanvragen

    client = fuzz_client("beveiliging", create_app, BeveiligingSettings)
    settings = BeveiligingSettings(**fuzz_backend.settings_kwargs(), env="test")
    asyncio.run(seed(settings, fuzz_backend.target("beveiliging")))
    org = unique_org()
    melder = devidp.headers("fuzz-melder", ["melder"], org)
    adviseur = devidp.headers("fuzz-adviseur", ["beveiligingsadviseur"], org)
    codes = [m["code"] for m in client.get(f"{BASE}/maatregelen", headers=melder).json()["results"]]
    scan = scan_aanvragen(client, melder)
    vragen = client.get(f"{BASE}/risicoanalyse/vragenlijst", headers=melder).json()
    antwoorden = {v["code"]: (False if v["type"] == "ja_nee" else 0) for v in vragen["vragen"]}
    analyse = client.post(
        f"{BASE}/risicoanalyses",
        json={"vragenlijstVersie": vragen["versie"], "antwoorden": antwoorden},
        headers=melder,
    )
    assert analyse.status_code == 201, analyse.text
    reach = {
        "code": codes[:5],
        "woningscan_id": [scan["id"]],
        "analyse_id": [analyse.json()["id"]],
    }
    callers = [
        Caller("melder", melder, reach),
        Caller("beveiligingsadviseur", adviseur, reach),
        Caller("owb-adviseur", devidp.headers("fuzz-owb", ["beveiligingsadviseur"], "OWB"), reach),
        Caller("beheerder", devidp.headers("fuzz-beheerder", ["beheerder"], org), reach),
    ]
    schema = load_schema(client, f"{BASE}/openapi.json", BASE)
    _report(*fuzz_service(client, schema, callers))


def test_kennisbank_contract_holds_under_fuzzing(
    fuzz_client: Callable[..., TestClient], devidp: DevIdp
) -> None:
    from services.kennisbank.app import create_app
    from services.kennisbank.config import KennisbankSettings
    from tests.kennisbank.conftest import BASE, publiceer

    client = fuzz_client("kennisbank", create_app, KennisbankSettings)
    redacteur = devidp.headers("fuzz-redacteur", ["redacteur"], "OWB")
    slug = publiceer(client, redacteur)["slug"]
    reach = {"slug": [slug]}
    callers = [
        Caller("anoniem", {}, reach),
        Caller("redacteur", redacteur, reach),
        Caller("melder", devidp.headers("fuzz-melder", ["melder"], "GM0363"), reach),
    ]
    schema = load_schema(client, f"{BASE}/openapi.json", BASE)
    _report(*fuzz_service(client, schema, callers))
