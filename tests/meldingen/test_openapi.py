"""The meldingen OpenAPI document: NL GOV API Design Rules and the cross-cutting promises."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.support.openapi_ids import assert_clean_operation_ids, assert_links_resolve
from tests.support.spectral import assert_passes_design_rules

DOC = "/api/meldingen/v1/openapi.json"


def test_openapi_passes_nl_gov_design_rules(client: TestClient, tmp_path: Path) -> None:
    response = client.get(DOC)
    assert response.status_code == 200
    assert_passes_design_rules(response.json(), tmp_path)


def test_openapi_is_public_and_readable_from_any_origin(client: TestClient) -> None:
    response = client.get(DOC, headers={"Origin": "https://elders.example"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    document = response.json()
    assert document["info"]["version"] == response.headers["api-version"] == "1.1.0"
    assert document["servers"][0]["url"] == "/api/meldingen/v1"


def test_openapi_documents_400_problems_instead_of_422(client: TestClient) -> None:
    document = client.get(DOC).json()
    create = document["paths"]["/meldingen"]["post"]
    assert "422" not in create["responses"]
    problem = create["responses"]["400"]["content"]["application/problem+json"]
    assert problem["schema"]["$ref"] == "#/components/schemas/Problem"
    assert "API-Version" in create["responses"]["201"]["headers"]


def test_every_operation_has_a_clean_unique_operation_id(client: TestClient) -> None:
    assert_clean_operation_ids(client.get(DOC).json())


def test_creates_link_to_the_operations_that_take_the_new_id(client: TestClient) -> None:
    document = client.get(DOC).json()
    assert assert_links_resolve(document) > 0
    for (path, method), status, target, parameters in (
        (("/meldingen", "post"), "201", "meldingOphalen", {"path.id": "$response.body#/id"}),
        (
            ("/meldingen/{id}/nazorgmomenten", "post"),
            "201",
            "nazorgmomentWijzigen",
            {"path.id": "$request.path.id", "path.nid": "$response.body#/id"},
        ),
    ):
        link = document["paths"][path][method]["responses"][status]["links"][target]
        assert link["operationId"] == target
        assert link["parameters"] == parameters
