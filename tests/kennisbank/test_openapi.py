"""The kennisbank OpenAPI document: NL GOV API Design Rules and public access."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.support.openapi_ids import assert_clean_operation_ids, assert_links_resolve
from tests.support.spectral import assert_passes_design_rules

DOC = "/api/kennisbank/v1/openapi.json"


def test_openapi_passes_nl_gov_design_rules(client: TestClient, tmp_path: Path) -> None:
    response = client.get(DOC)
    assert response.status_code == 200
    assert_passes_design_rules(response.json(), tmp_path)


def test_openapi_marks_reading_public_and_writing_secured(client: TestClient) -> None:
    document = client.get(DOC).json()
    assert document["servers"][0]["url"] == "/api/kennisbank/v1"
    paden = document["paths"]
    assert set(paden) >= {
        "/artikelen",
        "/artikelen/{slug}",
        "/artikelen/{slug}/statuswijzigingen",
        "/artikelen/{slug}/revisies",
        "/zoeken",
    }
    assert "422" not in paden["/artikelen"]["post"]["responses"]
    assert "412" in paden["/artikelen/{slug}"]["patch"]["responses"]
    # Reading needs no token ({} is the anonymous alternative); without it the document-wide
    # bearer requirement would apply and a client (or schemathesis' ignored_auth) would be told
    # that the public kennisbank refuses anonymous readers.
    for path in ("/zoeken", "/artikelen", "/artikelen/{slug}"):
        assert paden[path]["get"]["security"] == [{}, {"bearerAuth": []}], path
    assert paden["/artikelen"]["post"].get("security", document["security"]) == [{"bearerAuth": []}]


def test_every_operation_has_a_clean_unique_operation_id(client: TestClient) -> None:
    assert_clean_operation_ids(client.get(DOC).json())


def test_creates_link_to_the_operations_that_take_the_new_id(client: TestClient) -> None:
    document = client.get(DOC).json()
    assert assert_links_resolve(document) > 0
    for (path, method), status, target, parameters in (
        (
            ("/artikelen", "post"),
            "201",
            "artikelStatusWijzigen",
            {"path.slug": "$response.body#/slug"},
        ),
        (
            ("/artikelen/{slug}", "get"),
            "200",
            "artikelWijzigen",
            {"path.slug": "$request.path.slug", "header.If-Match": "$response.header.ETag"},
        ),
    ):
        link = document["paths"][path][method]["responses"][status]["links"][target]
        assert link["operationId"] == target
        assert link["parameters"] == parameters
