"""The beveiliging OpenAPI document: NL GOV API Design Rules and the documented scoring."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.support.openapi_ids import assert_clean_operation_ids, assert_links_resolve
from tests.support.spectral import assert_passes_design_rules

DOC = "/api/beveiliging/v1/openapi.json"


def test_openapi_passes_nl_gov_design_rules(client: TestClient, tmp_path: Path) -> None:
    response = client.get(DOC)
    assert response.status_code == 200
    assert_passes_design_rules(response.json(), tmp_path)


def test_openapi_documents_scoring_and_base_path(client: TestClient) -> None:
    document = client.get(DOC).json()
    assert document["servers"][0]["url"] == "/api/beveiliging/v1"
    beschrijving = document["paths"]["/risicoanalyses"]["post"]["description"]
    assert "vanaf 10" in beschrijving
    assert "vanaf 20" in beschrijving
    create = document["paths"]["/woningscans"]["post"]
    assert "422" not in create["responses"]
    assert "API-Version" in create["responses"]["201"]["headers"]


def test_every_operation_has_a_clean_unique_operation_id(client: TestClient) -> None:
    assert_clean_operation_ids(client.get(DOC).json())


def test_creates_link_to_the_operations_that_take_the_new_id(client: TestClient) -> None:
    document = client.get(DOC).json()
    assert assert_links_resolve(document) > 0
    for (path, method), status, target, parameters in (
        (
            ("/woningscans", "post"),
            "201",
            "woningscanStatusWijzigen",
            {"path.woningscan_id": "$response.body#/id"},
        ),
        (
            ("/maatregelen", "post"),
            "201",
            "maatregelWijzigen",
            {"path.code": "$response.body#/code"},
        ),
    ):
        link = document["paths"][path][method]["responses"][status]["links"][target]
        assert link["operationId"] == target
        assert link["parameters"] == parameters
