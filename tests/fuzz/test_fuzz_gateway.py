"""Contract fuzzing through the gateway, over real HTTP.

The whole stack runs as real processes on loopback (dev IdP, the three services, the
gateway) on a SQLite data directory of its own: the in-process fuzzers and the e2e suite
already cover PostgreSQL, and fuzzed writes must not leak into other tests' data. The
fuzzer loads the gateway's merged document from ``/api/openapi.json`` and sends every
case to the gateway with httpx, speaking as several roles and as nobody; each response
must conform to the merged document (status codes, content types, headers, schemas), and
every error must be problem+json (see harness.py).

The gateway runs with generous rate limits (tests/support/stack.py FUZZ_GATEWAY_SETTINGS) so
the fuzzer measures the contract, not the limiter (tests/e2e/test_gateway_limits.py holds the
real budgets). Besides the per-operation run, a stateful run follows the documented OpenAPI
links (create → the operations on the new id) for each role, so the cases get past 404 into
the rules. Bounded: WEERBAAR_FUZZ_EXAMPLES examples per operation, role and mode (default 5
here); `make fuzz` sets more. `python -m tests.fuzz.stack` starts the same stack for an
independent schemathesis CLI run (it prints the commands).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import Backend, DevIdp
from tests.e2e.gateway_processes import start_gateway
from tests.fuzz.harness import CHECKS, Caller, fuzz_service, problem_check, schema_from_document
from tests.support.stack import FUZZ_GATEWAY_SETTINGS, SERVICES, Stack, running_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


EXAMPLES = int(os.environ.get("WEERBAAR_FUZZ_EXAMPLES", "5"))


def _merged_schema(http: httpx.Client, base_url: str) -> Any:
    document = http.get("/api/openapi.json").json()
    assert {path.split("/")[2] for path in document["paths"]} == set(SERVICES)
    assert "x-onbeschikbaar" not in document["info"], document["info"]
    return schema_from_document(document, base_url)


@pytest.fixture(scope="module")
def stack(devidp: DevIdp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    backend = Backend("fuzz-gateway-sqlite", tmp_path_factory.mktemp("fuzz-gateway"))
    with running_stack(
        backend, devidp.issuer, backend.data_dir / "logs", **FUZZ_GATEWAY_SETTINGS
    ) as running:
        yield running


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _callers(http: httpx.Client, devidp: DevIdp) -> list[Caller]:
    """The roles, each with ids of resources it can reach, created through the gateway."""
    from tests.beveiliging.helpers import ADRES
    from tests.kennisbank.conftest import artikel_body
    from tests.meldingen.conftest import melding_body

    org = "GM0599"
    melder = devidp.headers("gwfuzz-melder", ["melder"], org)
    behandelaar = devidp.headers("gwfuzz-behandelaar", ["behandelaar"], org)
    adviseur = devidp.headers("gwfuzz-adviseur", ["beveiligingsadviseur"], org)
    redacteur = devidp.headers("gwfuzz-redacteur", ["redacteur"], "OWB")

    meldingen = "/api/meldingen/v1/meldingen"
    ids = [
        _created(http.post(meldingen, json=melding_body(vertrouwelijk=v), headers=melder))["id"]
        for v in (False, True)
    ]
    beveiliging = "/api/beveiliging/v1"
    maatregelen = http.get(f"{beveiliging}/maatregelen", headers=melder)
    assert maatregelen.status_code == 200, maatregelen.text
    codes = [m["code"] for m in maatregelen.json()["results"]][:5]
    scan = _created(
        http.post(
            f"{beveiliging}/woningscans",
            json={"adres": ADRES, "reden": "Bedreigd na raadsvergadering"},
            headers=melder,
        )
    )
    vragen = http.get(f"{beveiliging}/risicoanalyse/vragenlijst", headers=melder).json()
    antwoorden = {v["code"]: (False if v["type"] == "ja_nee" else 0) for v in vragen["vragen"]}
    analyse = _created(
        http.post(
            f"{beveiliging}/risicoanalyses",
            json={"vragenlijstVersie": vragen["versie"], "antwoorden": antwoorden},
            headers=melder,
        )
    )
    kennisbank = "/api/kennisbank/v1/artikelen"
    slug = _created(http.post(kennisbank, json=artikel_body(), headers=redacteur))["slug"]
    _created(
        http.post(
            f"{kennisbank}/{slug}/statuswijzigingen",
            json={"status": "gepubliceerd"},
            headers=redacteur,
        )
    )
    reach = {
        "id": ids,
        "code": codes,
        "woningscan_id": [scan["id"]],
        "analyse_id": [analyse["id"]],
        "slug": [slug],
    }
    return [
        Caller("melder", melder, reach),
        Caller("behandelaar", behandelaar, reach),
        Caller("beveiligingsadviseur", adviseur, reach),
        Caller("redacteur", redacteur, reach),
        Caller("anoniem", {}, reach),
    ]


def test_merged_document_holds_under_fuzzing_through_the_gateway(
    stack: Stack, devidp: DevIdp
) -> None:
    with httpx.Client(base_url=stack.gateway.url, timeout=30) as http:
        schema = _merged_schema(http, stack.gateway.url)
        callers = _callers(http, devidp)
        findings, statuses = fuzz_service(http, schema, callers, examples=EXAMPLES)
    print("responses:", ", ".join(f"{k}×{v}" for k, v in sorted(statuses.items())))
    assert not any(key.endswith(" 429") for key in statuses), "the limiter got in the way"
    assert not findings, f"{len(findings)} contract violations:\n\n" + "\n\n".join(
        map(str, findings)
    )


# Operations on an id only a create in the same scenario can have given the role (its
# subjects are new): a 2xx there proves a link (or an id schemathesis read from an answer)
# took the fuzzer past 404.
ON_A_NEW_ID = {
    "melder": {"meldingOphalen", "inzagesLijst", "notitiesLijst", "woningscanOphalen"},
    "behandelaar": {"meldingOphalen", "inzagesLijst", "notitiesLijst", "meldingWijzigen"},
    "redacteur": {"artikelOphalen", "artikelWijzigen", "revisiesLijst", "artikelStatusWijzigen"},
}


def _stateful(schema: Any, headers: Mapping[str, str], examples: int) -> dict[str, set[int]]:
    """Run schemathesis' state machine as one caller; returns the statuses per operationId."""
    seen: dict[str, set[int]] = {}
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]

    class Scenario(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": {**dict(case.headers or {}), **headers}}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            operation_id = case.operation.definition.raw.get("operationId", case.operation.label)
            seen.setdefault(operation_id, set()).add(response.status_code)
            if response.status_code >= 400:
                media_type = response.headers.get("content-type", [""])[0].split(";")[0]
                assert media_type == "application/problem+json", (case.operation.label, response)
            case.validate_response(response, checks=checks, transport_kwargs=kwargs)

    Scenario.run(
        settings=settings(
            max_examples=examples,
            stateful_step_count=8,
            deadline=None,
            database=None,
            derandomize=os.environ.get("WEERBAAR_FUZZ_SEED") is None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate, Phase.shrink],
        )
    )
    return seen


@pytest.mark.timeout(600)
def test_linked_operations_hold_under_stateful_fuzzing_through_the_gateway(
    stack: Stack, devidp: DevIdp
) -> None:
    """Creates feed their ids to the operations that take them (OpenAPI links), per role."""
    with httpx.Client(base_url=stack.gateway.url, timeout=30) as http:
        schema = _merged_schema(http, stack.gateway.url)
    org = "GM0597"
    roles = {
        "melder": devidp.headers("gwstate-melder", ["melder"], org),
        "behandelaar": devidp.headers("gwstate-behandelaar", ["behandelaar"], org),
        "redacteur": devidp.headers("gwstate-redacteur", ["redacteur"], "OWB"),
    }
    deep: dict[str, set[str]] = {}
    for role, headers in roles.items():
        seen = _stateful(schema, headers, examples=max(20, 4 * EXAMPLES))
        print(role, {op: sorted(statuses) for op, statuses in sorted(seen.items())})
        assert not [op for op, statuses in seen.items() if 429 in statuses], role
        deep[role] = {
            op for op in ON_A_NEW_ID[role] if any(200 <= s < 300 for s in seen.get(op, ()))
        }
    print("past 404 through links:", deep)
    # Which role gets there depends on which generated creates the rules accept; that the
    # links lead past 404 at all is the property (a role-by-role bound would be chance).
    assert any(deep.values()), f"the links never led past 404: {ON_A_NEW_ID}"


def test_the_gateways_own_429_is_the_documented_one(
    stack: Stack, devidp: DevIdp, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The merged document keeps the services' 429, and what the limiter sends conforms."""
    from tests.meldingen.conftest import melding_body

    with httpx.Client(base_url=stack.gateway.url, timeout=30) as http:
        schema = _merged_schema(http, stack.gateway.url)
    undocumented = [
        f"{method.upper()} {path}"
        for path, item in schema.raw_schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "429" not in operation.get("responses", {})
    ]
    assert not undocumented, f"429 missing from the merged document: {undocumented}"

    one_each = {group: "0.001/1" for group in ("*", "meldingen-aanmaken", "auth-failures")}
    strict = start_gateway(
        tmp_path_factory.mktemp("fuzz-gateway-strict"),
        devidp.issuer,
        {name: process.url for name, process in stack.services.items()},
        rate_limits=json.dumps(one_each),
    )
    melder = devidp.headers("gwfuzz-limited", ["melder"], "GM0598")
    requests = [
        ("/api/meldingen/v1/meldingen", "POST", melder, melding_body()),
        ("/api/beveiliging/v1/maatregelen", "GET", melder, None),
        ("/api/kennisbank/v1/zoeken", "GET", {}, None),
        # A token that fails verification spends its address's auth-failures bucket.
        ("/api/kennisbank/v1/artikelen", "GET", {"Authorization": "Bearer kapot"}, None),
    ]
    checks = [check for check in CHECKS if check.__name__ != "negative_data_rejection"]
    try:
        with httpx.Client(base_url=strict.url, timeout=30) as http:
            for path, method, headers, body in requests:
                operation = schema[path][method]
                query = {"q": "dreigbrief"} if path.endswith("/zoeken") else None
                statuses = []
                for _ in range(2):
                    extra = {} if body is None else {"body": body}
                    case = operation.Case(headers=dict(headers), query=query, **extra)
                    kwargs = case.as_transport_kwargs(base_url=strict.url)
                    response = http.request(
                        method,
                        kwargs["url"],
                        headers=kwargs.get("headers"),
                        params=kwargs.get("params"),
                        json=kwargs.get("json"),
                    )
                    statuses.append(response.status_code)
                assert statuses[-1] == 429, (path, statuses, response.text)
                assert response.headers["retry-after"].isdigit()
                problem_check(response)
                case.validate_response(response, checks=checks)
    finally:
        strict.stop()
