"""The merged document: full paths, a tag per service, no component collisions."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate

from gateway.openapi_merge import merge_documents

PROBLEM = {"type": "object", "properties": {"status": {"type": "integer"}}}


def _service(name: str, item_schema: dict[str, Any]) -> dict[str, Any]:
    base = f"/api/{name}/v1"
    return {
        "openapi": "3.1.0",
        "info": {"title": name, "version": "1.0.0", "contact": {"name": "OWB"}},
        "servers": [{"url": base}],
        "paths": {
            f"{base}/items": {
                "get": {
                    "operationId": "list_items",
                    "tags": ["items"],
                    "security": [{"HTTPBearer": []}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {
                                "API-Version": {"$ref": "#/components/headers/API-Version"}
                            },
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Item"}
                                }
                            },
                        },
                        "400": {
                            "description": "bad",
                            "content": {
                                "application/problem+json": {
                                    "schema": {"$ref": "#/components/schemas/Problem"}
                                }
                            },
                        },
                    },
                }
            },
            f"{base}/public": {"get": {"responses": {"200": {"description": "ok"}}}},
        },
        "components": {
            "schemas": {"Item": item_schema, "Problem": PROBLEM},
            "headers": {"API-Version": {"schema": {"type": "string"}}},
            "securitySchemes": {"HTTPBearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def test_merge_keeps_paths_tags_problems_and_renames_colliding_components() -> None:
    docs = {
        "meldingen": _service(
            "meldingen", {"type": "object", "properties": {"a": {"type": "string"}}}
        ),
        "kennisbank": _service(
            "kennisbank", {"type": "object", "properties": {"b": {"type": "string"}}}
        ),
    }
    merged = merge_documents(
        docs, issuer="http://127.0.0.1:8010", unavailable={"beveiliging": "ConnectError"}
    )
    validate(merged)
    assert set(merged["paths"]) == {
        "/api/meldingen/v1/items",
        "/api/meldingen/v1/public",
        "/api/kennisbank/v1/items",
        "/api/kennisbank/v1/public",
    }
    schemas = merged["components"]["schemas"]
    assert "meldingen_Item" in schemas
    assert "kennisbank_Item" in schemas
    assert "Item" not in schemas
    assert "Problem" in schemas  # identical in both: shared
    get = merged["paths"]["/api/meldingen/v1/items"]["get"]
    assert get["tags"] == ["meldingen"]
    assert get["security"] == [{"bearer": []}, {"oidc": []}]
    ok = get["responses"]["200"]
    assert (
        ok["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/meldingen_Item"
    )
    assert ok["headers"]["API-Version"]["$ref"] == "#/components/headers/API-Version"
    assert "application/problem+json" in get["responses"]["400"]["content"]
    oidc = merged["components"]["securitySchemes"]["oidc"]
    assert oidc["openIdConnectUrl"] == "http://127.0.0.1:8010/.well-known/openid-configuration"
    assert {t["name"] for t in merged["tags"]} == {"meldingen", "kennisbank", "beveiliging"}
    assert "security" not in merged["paths"]["/api/meldingen/v1/public"]["get"]


def test_relative_paths_get_the_service_base_path() -> None:
    doc = _service("meldingen", {"type": "object"})
    doc["paths"] = {"/items": doc["paths"]["/api/meldingen/v1/items"]}
    merged = merge_documents({"meldingen": doc}, issuer="http://i")
    assert list(merged["paths"]) == ["/api/meldingen/v1/items"]


def test_gateway_errors_are_documented_and_408_only_where_a_body_is_sent() -> None:
    doc = _service("meldingen", {"type": "object"})
    doc["paths"]["/api/meldingen/v1/items"]["post"] = {
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {"201": {"description": "made"}},
    }
    merged = merge_documents({"meldingen": doc}, issuer="http://127.0.0.1:8010")
    validate(merged)
    item = merged["paths"]["/api/meldingen/v1/items"]
    assert {"502", "503", "504", "408"} <= set(item["post"]["responses"])
    assert {"502", "503", "504"} <= set(item["get"]["responses"])
    assert "408" not in item["get"]["responses"]


def test_the_body_budget_is_documented_where_a_body_is_sent() -> None:
    doc = _service("meldingen", {"type": "object"})
    doc["paths"]["/api/meldingen/v1/items"]["post"] = {
        "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "responses": {"201": {"description": "made"}},
    }
    merged = merge_documents({"meldingen": doc}, issuer="http://127.0.0.1:8010")
    validate(merged)
    item = merged["paths"]["/api/meldingen/v1/items"]
    post, get = item["post"]["responses"], item["get"]["responses"]
    assert "WEERBAAR_BODY_BUFFER_BYTES" in post["503"]["description"]
    assert "WEERBAAR_BODY_BUFFER_PER_CALLER" in post["429"]["description"]
    assert "Content-Length" in post["413"]["description"]
    assert "WEERBAAR_BODY_BUFFER_BYTES" not in get["503"]["description"]
    assert "413" not in get
    assert "429" not in get
    for setting in ("WEERBAAR_BODY_BUFFER_BYTES", "WEERBAAR_BODY_BUFFER_PER_CALLER"):
        assert setting in merged["info"]["description"]
