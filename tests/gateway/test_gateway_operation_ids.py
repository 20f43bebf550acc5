"""The merged document keeps the services' clean operationIds and their links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gateway.openapi_merge import merge_documents
from services.common.crypto import ensure_dev_key_file
from tests.support.openapi_ids import assert_clean_operation_ids, assert_links_resolve


def _service_documents(data_dir: Path) -> dict[str, dict[str, Any]]:
    from services.beveiliging.app import create_app as beveiliging
    from services.beveiliging.config import BeveiligingSettings
    from services.kennisbank.app import create_app as kennisbank
    from services.kennisbank.config import KennisbankSettings
    from services.meldingen.app import create_app as meldingen
    from services.meldingen.config import MeldingenSettings

    ensure_dev_key_file(data_dir)
    # Building an app opens no database: the document needs only the routes.
    return {
        "meldingen": meldingen(MeldingenSettings(env="test", data_dir=data_dir)).openapi(),
        "beveiliging": beveiliging(BeveiligingSettings(env="test", data_dir=data_dir)).openapi(),
        "kennisbank": kennisbank(KennisbankSettings(env="test", data_dir=data_dir)).openapi(),
    }


def test_merged_document_has_clean_operation_ids_unique_across_services(tmp_path: Path) -> None:
    docs = _service_documents(tmp_path)
    merged = merge_documents(docs, issuer="http://127.0.0.1:8010")
    assert_clean_operation_ids(merged)
    assert assert_links_resolve(merged) == sum(map(assert_links_resolve, docs.values()))
    create = merged["paths"]["/api/meldingen/v1/meldingen"]["post"]
    assert create["operationId"] == "meldingAanmaken"


def test_a_clashing_operation_id_is_prefixed_with_its_service_links_included() -> None:
    def doc(path: str) -> dict[str, Any]:
        link = {"operationId": "itemOphalen", "parameters": {"path.id": "$response.body#/id"}}
        return {
            "paths": {
                f"{path}": {
                    "post": {
                        "operationId": "itemAanmaken",
                        "responses": {"201": {"description": "ok", "links": {"x": link}}},
                    }
                },
                f"{path}/{{id}}": {
                    "get": {
                        "operationId": "itemOphalen",
                        "responses": {"200": {"description": "ok"}},
                    }
                },
            }
        }

    merged = merge_documents({"a": doc("/api/a/v1/items"), "b": doc("/api/b/v1/items")}, issuer="i")
    assert_clean_operation_ids(merged)
    post_b = merged["paths"]["/api/b/v1/items"]["post"]
    assert post_b["operationId"] == "bItemAanmaken"
    assert post_b["responses"]["201"]["links"]["x"]["operationId"] == "bItemOphalen"
    post_a = merged["paths"]["/api/a/v1/items"]["post"]
    assert post_a["responses"]["201"]["links"]["x"]["operationId"] == "itemOphalen"
