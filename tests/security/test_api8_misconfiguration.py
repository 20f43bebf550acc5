"""API8 Security misconfiguration and API9 inventory: headers, errors, CORS, methods, routes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import Backend, DevIdp
from tests.security.conftest import SECURITY_HEADERS, ServiceInfo, documented_operations

NOT_DOCUMENTED = {"/health/live", "/health/ready"}


def _assert_security_headers(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.status_code, response.url)
    assert response.headers.get("strict-transport-security", "").startswith("max-age=")
    # Each service's own contract version (meldingen 1.1.0); its test_openapi pins the value.
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", response.headers.get("api-version", ""))
    assert response.headers.get("x-request-id")


def test_security_headers_on_every_kind_of_answer(
    plain_client: TestClient, service: ServiceInfo, devidp: DevIdp
) -> None:
    token = devidp.headers("sec-headers", ["melder"], "GM0363")
    operations = documented_operations(plain_client, service)
    collection = next(o for o in operations if o.method == "GET" and "{" not in o.path)
    writable = next(o for o in operations if o.has_body)
    answers = {
        "openapi": plain_client.get(f"{service.base}/openapi.json"),
        "live": plain_client.get("/health/live"),
        "ready": plain_client.get("/health/ready"),
        "ok": plain_client.get(collection.path, headers=token),
        "bad token 401": plain_client.get(
            collection.path, headers={"Authorization": "Bearer nope"}
        ),
        "unknown 404": plain_client.get(f"{service.base}/bestaat-niet", headers=token),
        "trailing slash 404": plain_client.get(collection.path + "/", headers=token),
        "method 405": plain_client.request("TRACE", collection.path, headers=token),
        "too large 413": plain_client.post(
            writable.filled("x"), content=b"x" * (1024 * 1024 + 1), headers=token
        ),
        "media type 415": plain_client.request(
            writable.method,
            writable.filled("x"),
            content=b"a=b",
            headers={**token, "Content-Type": "application/x-www-form-urlencoded"},
        ),
        "pageSize 400": plain_client.get(collection.path, params={"pageSize": 101}, headers=token),
    }
    for name, response in answers.items():
        _assert_security_headers(response)
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json"), name
    assert answers["unknown 404"].status_code == 404
    assert answers["trailing slash 404"].status_code == 404
    assert answers["too large 413"].status_code == 413
    assert answers["bad token 401"].status_code == 401
    assert answers["bad token 401"].headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("method", ["TRACE", "TRACK", "CONNECT"])
def test_trace_and_other_unsupported_methods_are_405_with_allow(
    plain_client: TestClient, service: ServiceInfo, devidp: DevIdp, method: str
) -> None:
    token = devidp.headers("sec-trace", ["melder"], "GM0363")
    for operation in documented_operations(plain_client, service):
        response = plain_client.request(method, operation.filled("x"), headers=token)
        assert response.status_code == 405, (operation.path, response.status_code)
        assert operation.method in response.headers.get("allow", ""), operation.path
        assert "x-token" not in response.text.lower()
        # TRACE must not echo the request (cross-site tracing): no Authorization in the body
        assert "Bearer" not in response.text


def test_unexpected_error_is_a_bare_problem_without_stack_trace(
    sqlite_only: Backend, service: ServiceInfo, devidp: DevIdp
) -> None:
    create_app, settings_class = service.factory()
    sqlite_only.migrate(service.name)
    settings = settings_class(
        **sqlite_only.settings_kwargs(), oidc_issuer=devidp.issuer, env="test"
    )
    app = create_app(settings, sqlite_only.target(service.name))

    async def explode() -> None:
        raise RuntimeError("geheime-details /etc/passwd SELECT * FROM melding")

    app.add_api_route(f"{service.base}/explode", explode, methods=["GET"])
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get(
            f"{service.base}/explode", headers=devidp.headers("sec-500", ["melder"], "GM0363")
        )
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 500
    for leak in ("Traceback", "RuntimeError", "geheime-details", "SELECT", 'File "'):
        assert leak not in response.text
    _assert_security_headers(response)


def test_cors_does_not_reflect_arbitrary_origins(
    sqlite_only: Backend,
    service: ServiceInfo,
    service_client: Callable[..., TestClient],
    devidp: DevIdp,
) -> None:
    create_app, settings = service.factory()
    allowed = "https://app.weerbaarbestuur.example"
    client = service_client(
        sqlite_only, service.name, create_app, settings, cors_origins=(allowed,)
    )
    token = devidp.headers("sec-cors", ["melder"], "GM0363")
    collection = next(
        o for o in documented_operations(client, service) if o.method == "GET" and "{" not in o.path
    )
    for evil in ("https://evil.example", "null", allowed + ".evil.example"):
        simple = client.get(collection.path, headers={**token, "Origin": evil})
        assert simple.headers.get("access-control-allow-origin") in (None,), evil
        assert simple.headers.get("access-control-allow-credentials") is None
        preflight = client.options(
            collection.path,
            headers={"Origin": evil, "Access-Control-Request-Method": "GET"},
        )
        assert preflight.headers.get("access-control-allow-origin") != evil
        assert preflight.headers.get("access-control-allow-origin") != "*"
    good = client.get(collection.path, headers={**token, "Origin": allowed})
    assert good.headers.get("access-control-allow-origin") == allowed
    # The OpenAPI document is readable from any origin, without a token.
    document = client.get(f"{service.base}/openapi.json", headers={"Origin": "https://x.example"})
    assert document.status_code == 200
    assert document.headers.get("access-control-allow-origin") == "*"


def test_cors_is_off_without_an_allow_list(plain_client: TestClient, service: ServiceInfo) -> None:
    response = plain_client.options(
        f"{service.base}/openapi.json",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "DELETE"},
    )
    assert response.headers.get("access-control-allow-origin") in (None, "*")
    assert "DELETE" not in response.headers.get("access-control-allow-methods", "")


def test_registered_routes_equal_the_documented_ones(
    plain_client: TestClient, service: ServiceInfo
) -> None:
    """API9: nothing served that is not documented, nothing documented that is not served."""
    app = plain_client.app
    served = _served_routes(app)
    registered = {
        (method, path)
        for method, path in served
        if path not in NOT_DOCUMENTED and path != f"{service.base}/openapi.json"
    }
    documented = {(o.method, o.path) for o in documented_operations(plain_client, service)}
    assert registered - documented == set(), "served but not documented"
    assert documented - registered == set(), "documented but not served"
    assert not any(path.startswith(("/docs", "/redoc", "/openapi.json")) for _, path in served)


def _served_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route the app answers, included routers flattened."""
    from fastapi import routing

    served = set()
    for context in routing.iter_route_contexts(app.routes):
        path = context.path_format or context.path
        for method in context.methods or ():
            if method != "HEAD" and path:
                served.add((method, str(path)))
    return served
