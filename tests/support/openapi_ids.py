"""What a client generator needs of a document: clean, unique operationIds and sound links."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

OPERATION_ID = re.compile(r"^[a-z][a-zA-Z0-9]+$")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every operation by `METHOD path`."""
    return {
        f"{method.upper()} {path}": item[method]
        for path, item in document["paths"].items()
        for method in METHODS
        if isinstance(item.get(method), dict)
    }


def assert_clean_operation_ids(document: dict[str, Any]) -> None:
    ops = operations(document)
    assert ops, "no operations"
    missing = [label for label, op in ops.items() if "operationId" not in op]
    assert not missing, f"operations without an operationId: {missing}"
    unclean = {
        label: op["operationId"]
        for label, op in ops.items()
        if not OPERATION_ID.fullmatch(op["operationId"])
    }
    assert not unclean, f"operationIds that are not camelCase: {unclean}"
    counts = Counter(op["operationId"] for op in ops.values())
    assert not [i for i, n in counts.items() if n > 1], f"duplicate operationIds: {counts}"


def assert_links_resolve(document: dict[str, Any]) -> int:
    """Every link names an existing operation and parameters it has; returns the link count."""
    by_id = {op["operationId"]: op for op in operations(document).values() if "operationId" in op}
    count = 0
    for label, op in operations(document).items():
        for status, response in op.get("responses", {}).items():
            for name, link in response.get("links", {}).items():
                count += 1
                target = by_id.get(link.get("operationId"))
                assert target is not None, f"{label} {status} link {name}: no such operation"
                params = {(p["in"], p["name"]) for p in target.get("parameters", [])}
                for key in link.get("parameters", {}):
                    where, _, param = key.partition(".")
                    assert (where, param) in params, f"{label} {status} link {name}: {key}?"
    return count
