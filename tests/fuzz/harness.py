"""Contract fuzzing with schemathesis 4.x, sent through a running service's TestClient.

Schemathesis generates the cases from the service's own OpenAPI document (positive and
negative data); the request goes through the session's TestClient (so the app's lifespan,
engine and event loop are the ones every other test uses) and the response is validated by
schemathesis' checks plus ours: no 5xx, documented status codes, content types, headers and
schemas, and every error is problem+json.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("WEERBAAR_FUZZ_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


class ContractViolation(AssertionError):
    pass


def problem_check(response: httpx.Response) -> None:
    """Every error is RFC 9457 problem+json with the members the contract names."""
    if response.status_code < 400:
        return
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if media_type != "application/problem+json":
        raise ContractViolation(f"{response.status_code} with content type {media_type!r}")
    body = response.json()
    missing = {"type", "title", "status"} - set(body)
    if missing or body["status"] != response.status_code:
        raise ContractViolation(f"problem without {sorted(missing)} or wrong status: {body}")
    if response.status_code >= 500:
        raise ContractViolation(f"server error: {body}")
    if "traceback" in response.text.lower():
        raise ContractViolation("a stack trace in an error body")


@dataclass
class Caller:
    """A role the fuzzer speaks as, and ids of resources that role can reach."""

    name: str
    headers: Mapping[str, str]
    ids: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass
class Finding:
    caller: str
    operation: str
    message: str

    def __str__(self) -> str:
        return f"[{self.caller}] {self.operation}: {self.message[:2500]}"


def load_schema(client: TestClient, openapi_path: str, base_path: str) -> Any:
    document = client.get(openapi_path).json()
    return schema_from_document(document, f"http://testserver{base_path}")


def schema_from_document(document: Mapping[str, Any], base_url: str) -> Any:
    schema = schemathesis.openapi.from_dict(dict(document))
    schema.config.update(base_url=base_url)
    # A negative body can exceed the body limit: 413 (documented) is a rejection too.
    rejection = schema.config.checks.negative_data_rejection
    rejection.expected_statuses = [*rejection.expected_statuses, "413"]
    return schema


def fuzz_service(
    client: httpx.Client,  # a TestClient in process, or an httpx.Client over real HTTP
    schema: Any,
    callers: Sequence[Caller],
    *,
    examples: int = EXAMPLES,
    skip: Callable[[str], bool] = lambda _label: False,
) -> tuple[list[Finding], dict[str, int]]:
    """Run every operation for every caller, positive and negative; returns what broke."""
    findings: list[Finding] = []
    statuses: dict[str, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        label = operation.label
        if skip(label):
            continue
        for caller in callers:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                error = _fuzz_operation(client, operation, caller, mode, examples, statuses)
                if error is not None:
                    findings.append(Finding(caller.name, f"{label} ({mode.value})", error))
    return findings, statuses


def _fuzz_operation(
    client: httpx.Client,
    operation: Any,
    caller: Caller,
    mode: GenerationMode,
    examples: int,
    statuses: dict[str, int],
) -> str | None:
    path_names = [p.name for p in operation.path_parameters]
    known = {name: list(caller.ids.get(name, ())) for name in path_names}

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=os.environ.get("WEERBAAR_FUZZ_SEED") is None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        report_multiple_bugs=False,
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def run(case: Any, data: st.DataObject) -> None:
        for name, ids in known.items():
            # Mostly real ids, so the fuzzer gets past 404 into the validation and rules.
            if ids and data.draw(st.integers(0, 3), label=f"real {name}") > 0:
                case.path_parameters[name] = data.draw(st.sampled_from(ids), label=name)
        generated = dict(case.headers or {})
        headers = {k: v for k, v in generated.items() if k.lower() != "authorization"}
        # A generated (e.g. negated) Authorization header is replaced by the caller's token,
        # so such a case no longer carries the invalid part schemathesis put in.
        replaced_auth = len(headers) != len(generated) or _negates_authorization(case)
        headers.update(caller.headers)
        headers.setdefault("X-Request-ID", f"fuzz-{uuid.uuid4().hex[:12]}")
        case.headers = headers
        kwargs = case.as_transport_kwargs(base_url=str(client.base_url) + _base(operation))
        response = client.request(
            kwargs["method"],
            kwargs["url"],
            headers=kwargs.get("headers"),
            params=kwargs.get("params"),
            content=_content(kwargs),
        )
        key = f"{operation.method.upper()} {response.status_code}"
        statuses[key] = statuses.get(key, 0) + 1
        problem_check(response)
        checks = [c for c in CHECKS if not (replaced_auth and c is negative_data_rejection)]
        case.validate_response(response, checks=checks)

    started = time.monotonic()
    try:
        run()
    # Every failure becomes a finding; the test reports them all. Schemathesis raises its
    # check failures as a FailureGroup, a BaseExceptionGroup rather than an Exception.
    except (Exception, BaseExceptionGroup) as exc:
        # Negative mode with nothing to negate: a public operation whose only parameter is an
        # unconstrained path string (GET /artikelen/{slug}) has no invalid request at all.
        if isinstance(exc, Unsatisfiable) and mode is GenerationMode.NEGATIVE:
            return None
        return f"{type(exc).__name__}: {exc}"
    finally:
        statuses["_seconds"] = statuses.get("_seconds", 0) + int(time.monotonic() - started)
    return None


def _negates_authorization(case: Any) -> bool:
    """Schemathesis negated the token itself: the harness decides the token, not the case."""
    data = getattr(getattr(case.meta, "phase", None), "data", None)
    names = [getattr(data, "parameter", None)]
    names += [getattr(m, "parameter", None) for m in getattr(data, "mutations", ())]
    return any(str(name).lower() == "authorization" for name in names if name)


def _base(operation: Any) -> str:
    servers = operation.schema.raw_schema.get("servers") or [{"url": ""}]
    return str(servers[0]["url"])


def _content(kwargs: Mapping[str, Any]) -> bytes | None:
    import json

    if "json" in kwargs:
        return json.dumps(kwargs["json"]).encode()
    data = kwargs.get("data")
    if isinstance(data, str):
        return data.encode()
    if isinstance(data, bytes):
        return data
    return None
