"""API4 unrestricted resource consumption and API5 broken function level authorization.

API4: every collection refuses pageSize above 100 (and below 1) with 400; every operation
with a body refuses 2 MiB with 413 before anything else, with or without Content-Length.
API5: every documented operation × every role appears in the expected-permission table
(tests/permissions.py, rows kept per service by its owners); the rows themselves are run by
each service's test_permissions.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.conftest import DevIdp
from tests.meldingen.bijlagen import content_type_of, streamed_multipart
from tests.meldingen.conftest import melding_body
from tests.permissions import SERVICE_MODULES, rows
from tests.security.conftest import ServiceInfo, documented_operations

ROLES = ("melder", "behandelaar", "beveiligingsadviseur", "redacteur", "analist", "beheerder")
TWO_MIB = 2 * 1024 * 1024


@pytest.mark.parametrize("page_size", ["101", "1000000", "0", "-1"])
def test_page_size_outside_1_to_100_is_400(
    plain_client: TestClient, service: ServiceInfo, devidp: DevIdp, page_size: str
) -> None:
    headers = devidp.headers("sec-paging", ["behandelaar", "melder", "redacteur"], "GM0363")
    paged = [
        o
        for o in documented_operations(plain_client, service)
        if o.method == "GET" and "pageSize" in o.query_names()
    ]
    assert paged, "a collection with pageSize"
    for operation in paged:
        response = plain_client.get(
            operation.filled("00000000-0000-0000-0000-000000000000"),
            params={"pageSize": page_size},
            headers=headers,
        )
        if response.status_code == 404 and "{" in operation.path:
            continue  # reach before field validation, for an id that does not exist
        assert response.status_code == 400, (operation.path, response.text)
        names = [p["name"] for p in response.json()["invalidParams"]]
        assert "pageSize" in names


def test_page_size_100_is_allowed(
    plain_client: TestClient, service: ServiceInfo, devidp: DevIdp
) -> None:
    headers = devidp.headers("sec-paging-ok", ["behandelaar", "melder", "redacteur"], "GM0363")
    for operation in documented_operations(plain_client, service):
        if operation.method == "GET" and "pageSize" in operation.query_names():
            if "{" in operation.path:
                continue
            response = plain_client.get(operation.path, params={"pageSize": 100}, headers=headers)
            assert response.status_code in (200, 400, 403), (operation.path, response.text)
            if response.status_code == 400:  # another required parameter, not the page size
                names = [p["name"] for p in response.json()["invalidParams"]]
                assert "pageSize" not in names, operation.path


def _chunks(total: int) -> Iterator[bytes]:
    chunk = b"{" + b" " * 65535
    sent = 0
    while sent < total:
        yield chunk
        sent += len(chunk)


def test_two_mebibyte_bodies_are_413_before_authentication(
    plain_client: TestClient, service: ServiceInfo, devidp: DevIdp
) -> None:
    token = devidp.headers("sec-size", ["behandelaar", "melder", "redacteur"], "GM0363")
    body_operations = [o for o in documented_operations(plain_client, service) if o.has_body]
    assert body_operations
    for operation in body_operations:
        path = operation.filled("00000000-0000-0000-0000-000000000000")
        json_type = {"Content-Type": "application/json"}
        # An upload documents its own larger limit (x-weerbaar-max-body-bytes): 1 MiB past it.
        too_large = operation.spec.get("x-weerbaar-max-body-bytes", 0) + TWO_MIB
        for headers in (json_type, {**token, **json_type}):
            declared = plain_client.request(
                operation.method, path, content=b"{" + b" " * too_large, headers=headers
            )
            assert declared.status_code == 413, (operation.path, declared.status_code)
            assert declared.headers["content-type"].startswith("application/problem+json")
        streamed_body, streamed_type = _chunks(too_large), json_type
        if "multipart/form-data" in operation.spec["requestBody"]["content"]:
            # An upload checks reach before it reads a byte, and its content as it arrives:
            # stream a valid file that grows, to a melding of the caller's own.
            streamed_body = streamed_multipart("groot.png", too_large)
            streamed_type = {"Content-Type": content_type_of()}
            own = plain_client.post(
                f"{service.base}/meldingen", json=melding_body(), headers=token
            ).json()["id"]
            path = operation.filled(own)
        streamed = plain_client.request(
            operation.method, path, content=streamed_body, headers={**token, **streamed_type}
        )
        assert streamed.status_code == 413, (operation.path, "chunked", streamed.status_code)


def _normalise(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_every_route_and_role_is_in_the_expected_permission_table(
    plain_client: TestClient, service: ServiceInfo
) -> None:
    modules = [m for m in SERVICE_MODULES if f".{service.name}." in m]
    assert modules, f"{service.name} keeps no rows in tests/permissions.py (SERVICE_MODULES)"
    table = {(r.method, _normalise(r.path), r.role) for r in rows(service.name)}
    missing = sorted(
        f"{o.method} {_normalise(o.path)} {role}"
        for o in documented_operations(plain_client, service)
        for role in ROLES
        if (o.method, _normalise(o.path), role) not in table
    )
    assert not missing, (
        f"{len(missing)} route × role pairs have no expected answer in "
        f"{modules[0]}:\n" + "\n".join(missing)
    )
