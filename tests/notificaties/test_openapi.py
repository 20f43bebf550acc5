"""The notificaties OpenAPI document: NL GOV API Design Rules, short camelCase operation ids."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from tests.support.spectral import assert_passes_design_rules

DOC = "/api/notificaties/v1/openapi.json"


def test_openapi_passes_nl_gov_design_rules(client: TestClient, tmp_path: Path) -> None:
    response = client.get(DOC)
    assert response.status_code == 200
    assert_passes_design_rules(response.json(), tmp_path)


def test_every_operation_has_a_short_camel_case_id(client: TestClient) -> None:
    document = client.get(DOC).json()
    assert document["info"]["version"] == "1.0.0"
    assert document["servers"][0]["url"] == "/api/notificaties/v1"
    ids = [
        operation["operationId"]
        for item in document["paths"].values()
        for method, operation in item.items()
        if method in {"get", "post", "patch", "delete", "put"}
    ]
    assert len(ids) == len(set(ids))
    assert "abonnementAanmaken" in ids
    for operation_id in ids:
        assert re.fullmatch(r"[a-z][a-zA-Z]{2,40}", operation_id), operation_id
    post = document["paths"]["/abonnementen"]["post"]
    assert "422" not in post["responses"]
    assert "400" in post["responses"]
