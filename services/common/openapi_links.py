"""OpenAPI `links`: what a client can call next with what an answer gave it.

Derived from the paths, so a new endpoint is linked without anyone remembering to:

- a create (`POST <collection>` answering 201) links to every operation under
  `<collection>/{param}`, the new resource's identifier taken from the body (the member named
  like the parameter, e.g. `slug` or `code`, else `id`) and the parameters of the collection
  itself from the request;
- a read (`GET <item>`) links to the `PATCH` of the same item that takes `If-Match`, the
  version taken from the `ETag` the read answered.

Generated clients and stateful fuzzers (schemathesis) follow these to reach past 404.
"""

from __future__ import annotations

import re
from typing import Any

_PARAM = re.compile(r"^\{([^}]+)\}$")


def _path_params(path: str) -> list[str]:
    return [m.group(1) for part in path.split("/") if (m := _PARAM.match(part))]


def _body_schema(document: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = (
        response.get("content", {}).get("application/json", {}).get("schema", {})
    )
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        found: dict[str, Any] = document["components"]["schemas"].get(ref.rsplit("/", 1)[1], {})
        return found
    return schema


def _identifier(body: dict[str, Any], param: str) -> str | None:
    properties = body.get("properties", {})
    if param in properties:
        return param
    return "id" if "id" in properties else None


def _has_header(operation: dict[str, Any], name: str) -> bool:
    return any(
        p.get("in") == "header" and p.get("name", "").lower() == name.lower()
        for p in operation.get("parameters", [])
    )


def add_links(document: dict[str, Any]) -> None:
    """Add `links` to the 201 of every create and the 200 of every read, in place."""
    paths: dict[str, dict[str, Any]] = document.get("paths", {})
    for path, item in paths.items():
        create = item.get("post")
        if isinstance(create, dict) and "201" in create.get("responses", {}):
            _link_create(document, path, create, paths)
        read = item.get("get")
        patch = item.get("patch")
        if (
            isinstance(read, dict)
            and isinstance(patch, dict)
            and "200" in read.get("responses", {})
            and _has_header(patch, "If-Match")
            and "operationId" in patch
        ):
            parameters: dict[str, str] = {
                f"path.{name}": f"$request.path.{name}" for name in _path_params(path)
            }
            parameters["header.If-Match"] = "$response.header.ETag"
            links = read["responses"]["200"].setdefault("links", {})
            links[patch["operationId"]] = {
                "operationId": patch["operationId"],
                "parameters": parameters,
                "description": "Wijzigen met de versie (ETag) die het lezen gaf.",
            }


def _link_create(
    document: dict[str, Any], path: str, create: dict[str, Any], paths: dict[str, dict[str, Any]]
) -> None:
    response = create["responses"]["201"]
    body = _body_schema(document, response)
    outer = _path_params(path)
    for target_path, target_item in paths.items():
        rest = target_path[len(path) :].split("/") if target_path.startswith(path + "/") else []
        if len(rest) < 2 or not (match := _PARAM.match(rest[1])):
            continue
        param = match.group(1)
        field = _identifier(body, param)
        if field is None:
            continue
        parameters = {f"path.{name}": f"$request.path.{name}" for name in outer}
        parameters[f"path.{param}"] = f"$response.body#/{field}"
        for method, operation in target_item.items():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            links = response.setdefault("links", {})
            links[operation["operationId"]] = {
                "operationId": operation["operationId"],
                "parameters": parameters,
                "description": f"{method.upper()} {target_path} met wat het aanmaken gaf.",
            }
