"""Merging the services' OpenAPI documents into the gateway's portal document.

Pure functions, no I/O: :mod:`gateway.openapi` fetches and caches. The merge
keeps every path in full (``/api/<service>/v1/...``) and the services'
operationIds (prefixed with the service only on a clash), tags each operation
with its service, gives the components of different services distinct names
where they collide (identical components are shared), and replaces the
services' security schemes by the gateway's: a bearer JWT and the issuer's
OpenID Connect discovery document.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

JSON = dict[str, Any]
COMPONENT_SECTIONS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "links",
    "callbacks",
    "pathItems",
)
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REF_PREFIX = "#/components/"
SECURITY: list[dict[str, list[str]]] = [{"bearer": []}, {"oidc": []}]


def _refs(node: Any) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith(REF_PREFIX):
                section, _, name = ref[len(REF_PREFIX) :].partition("/")
                found.add((section, name))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _rewrite_refs(node: Any, renames: Mapping[tuple[str, str], str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX):
                section, _, name = value[len(REF_PREFIX) :].partition("/")
                out[key] = f"{REF_PREFIX}{section}/{renames.get((section, name), name)}"
            else:
                out[key] = _rewrite_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _canonical(node: Any) -> str:
    return json.dumps(node, sort_keys=True, separators=(",", ":"))


def _owners(docs: Mapping[str, JSON]) -> dict[tuple[str, str], dict[str, Any]]:
    """Each component (section, name) with its content per service that has it."""
    owners: dict[tuple[str, str], dict[str, Any]] = {}
    for service, doc in docs.items():
        for section in COMPONENT_SECTIONS:
            for name, content in doc.get("components", {}).get(section, {}).items():
                owners.setdefault((section, name), {})[service] = content
    return owners


def _shared(owners: Mapping[tuple[str, str], Mapping[str, Any]]) -> set[tuple[str, str]]:
    """Components the same in every service, and referring only to components that are too."""
    shared = {
        key
        for key, by_service in owners.items()
        if len({_canonical(c) for c in by_service.values()}) == 1
    }
    changed = True
    while changed:
        changed = False
        for key in list(shared):
            if any(
                ref in owners and ref not in shared
                for content in owners[key].values()
                for ref in _refs(content)
            ):
                shared.discard(key)
                changed = True
    return shared


def component_renames(docs: Mapping[str, JSON]) -> dict[str, dict[tuple[str, str], str]]:
    """Per service, the new name of each component that would collide with another's.

    A component keeps its name when every service that has it has the same
    content and everything it refers to also keeps its name.
    """
    owners = _owners(docs)
    shared = _shared(owners)
    renames: dict[str, dict[tuple[str, str], str]] = {service: {} for service in docs}
    for key, by_service in owners.items():
        if key in shared:
            continue
        for service in by_service:
            renames[service][key] = f"{service}_{key[1]}"
    return renames


def _base_path(doc: JSON) -> str:
    servers = doc.get("servers") or []
    if not servers:
        return ""
    path = urlsplit(str(servers[0].get("url", ""))).path.rstrip("/")
    return path


def _operation_security(operation: JSON, default: list[Any] | None, bearer_names: set[str]) -> None:
    requirements = operation.get("security", default)
    if requirements is None:
        return
    if requirements == []:
        operation["security"] = []
        return
    merged: list[Any] = []
    for requirement in requirements:
        if not requirement:
            merged.append({})
        elif any(name in bearer_names for name in requirement):
            merged.extend(r for r in SECURITY if r not in merged)
        else:
            merged.append(requirement)
    operation["security"] = merged


# What the gateway itself may answer for any proxied operation (DESIGN.md upstream failures).
GATEWAY_ERRORS = {
    "502": "De dienst achter de gateway is niet bereikbaar.",
    "503": "De dienst is tijdelijk afgeschakeld (circuit open); zie `Retry-After`.",
    "504": "De dienst antwoordde niet op tijd.",
}


# Only for operations with a body: the gateway reads it whole before it forwards anything.
BODY_ERRORS = {
    "408": (
        "De body kwam niet op tijd binnen (`WEERBAAR_BODY_READ_TIMEOUT` per deel, "
        "`WEERBAAR_BODY_TOTAL_TIMEOUT` in totaal); de verbinding wordt gesloten. "
        "Het verzoek is niet doorgestuurd."
    ),
    "413": (
        "De body is groter dan de limiet van de route (`WEERBAAR_MAX_BODY_BYTES`, "
        "`WEERBAAR_ROUTE_BODY_LIMITS`), of langer dan de opgegeven `Content-Length` "
        "(dan wordt de verbinding gesloten). Het verzoek is niet doorgestuurd."
    ),
    "429": (
        "Te veel verzoeken (rate limit), of deze aanroeper heeft al "
        "`WEERBAAR_BODY_BUFFER_PER_CALLER` grote bodies (boven `WEERBAAR_MAX_BODY_BYTES`) "
        "onderweg; zie `Retry-After`. Geweigerd voordat de body gelezen is; de verbinding "
        "wordt gesloten."
    ),
}
BODY_503 = (
    " Of: de gateway houdt al `WEERBAAR_BODY_BUFFER_BYTES` aan grote bodies vast (boven "
    "`WEERBAAR_MAX_BODY_BYTES`, zoals bijlagen); geweigerd voordat de body gelezen is, "
    "de verbinding wordt gesloten. Bodies binnen de standaardlimiet (meldingen) tellen "
    "daar niet mee."
)

# The merged document's description of the gateway's limits on bodies.
BODY_LIMITS = (
    "\n\nDe gateway leest een body helemaal voordat hij iets doorstuurt. Grenzen: "
    "`WEERBAAR_MAX_BODY_BYTES` (standaard 1 MiB) en per route `WEERBAAR_ROUTE_BODY_LIMITS` "
    "(bijlagen 20 MiB); grote bodies (boven de standaardlimiet) delen per gatewayproces "
    "`WEERBAAR_BODY_BUFFER_BYTES` (standaard 64 MiB, gereserveerd op de opgegeven "
    "`Content-Length`) en per aanroeper (geverifieerd subject, anders adres) mogen er "
    "`WEERBAAR_BODY_BUFFER_PER_CALLER` (standaard 2) tegelijk onderweg zijn: anders 503 "
    "of 429 met `Retry-After`, voordat de body gelezen is. Een body binnen de "
    "standaardlimiet telt nooit mee, zodat bijlagen het melden niet kunnen verdringen."
)


def _gateway_errors(has_body: bool) -> dict[str, str]:
    errors = dict(GATEWAY_ERRORS)
    if has_body:
        errors.update(BODY_ERRORS)
        errors["503"] += BODY_503
    return errors


def _add_gateway_errors(operation: JSON, problem_ref: str) -> None:
    responses = operation.setdefault("responses", {})
    for status, description in sorted(_gateway_errors("requestBody" in operation).items()):
        responses.setdefault(
            status,
            {
                "description": description,
                "content": {"application/problem+json": {"schema": {"$ref": problem_ref}}},
            },
        )


def operation_id_renames(docs: Mapping[str, JSON]) -> dict[str, dict[str, str]]:
    """Per service, the new operationId of each one another service already uses.

    The services choose ids unique across the platform (a test holds them to it) and the
    merge keeps them, since clients are generated from them; the service prefix only
    guards against a clash a new service would bring.
    """
    seen: set[str] = set()
    renames: dict[str, dict[str, str]] = {}
    for service in sorted(docs):
        renames[service] = {}
        for item in docs[service].get("paths", {}).values():
            for method in HTTP_METHODS:
                operation_id = (item.get(method) or {}).get("operationId")
                if not isinstance(operation_id, str):
                    continue
                if operation_id in seen:
                    renamed = service + operation_id[:1].upper() + operation_id[1:]
                    renames[service][operation_id] = renamed
                    operation_id = renamed
                seen.add(operation_id)
    return renames


def _rename_operation(operation: JSON, renames: Mapping[str, str]) -> None:
    """The operation's own id and the ids its responses' links name."""
    if operation.get("operationId") in renames:
        operation["operationId"] = renames[operation["operationId"]]
    for response in operation.get("responses", {}).values():
        for link in (response.get("links") or {}).values() if isinstance(response, dict) else ():
            if isinstance(link, dict) and link.get("operationId") in renames:
                link["operationId"] = renames[link["operationId"]]


def _skeleton(
    docs: Mapping[str, JSON], *, issuer: str, title: str, version: str, server_url: str
) -> JSON:
    """The merged document before any service's paths: info, server, the gateway's security."""
    merged: JSON = {
        "openapi": next(
            (str(d.get("openapi")) for d in docs.values() if d.get("openapi")), "3.1.0"
        ),
        "info": {
            "title": title,
            "version": version,
            "description": (
                "Alle diensten van Weerbaar Bestuur achter één gateway. "
                "Elke dienst publiceert ook een eigen document onder /api/{dienst}/v1/openapi.json."
                + BODY_LIMITS
            ),
        },
        "servers": [{"url": server_url, "description": "de gateway"}],
        "paths": {},
        "tags": [],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                "oidc": {
                    "type": "openIdConnect",
                    "openIdConnectUrl": issuer.rstrip("/") + "/.well-known/openid-configuration",
                },
            }
        },
    }
    contact = next(
        (d["info"]["contact"] for d in docs.values() if d.get("info", {}).get("contact")), None
    )
    if contact:
        merged["info"]["contact"] = contact
    return merged


def _merge_service(
    merged: JSON,
    service: str,
    doc: JSON,
    renames: Mapping[tuple[str, str], str],
    id_renames: Mapping[str, str],
) -> None:
    """One service's tag, paths (tagged, ids and security the gateway's) and components."""
    info = doc.get("info", {})
    merged["tags"].append(
        {"name": service, "description": info.get("description") or info.get("title", service)}
    )
    schemes = doc.get("components", {}).get("securitySchemes", {})
    bearer_names = {
        name
        for name, scheme in schemes.items()
        if scheme.get("type") in ("http", "oauth2", "openIdConnect")
    }
    default_security = doc.get("security")
    problem_ref = f"#/components/schemas/{renames.get(('schemas', 'Problem'), 'Problem')}"
    has_problem = "Problem" in doc.get("components", {}).get("schemas", {})
    base = _base_path(doc)
    for path, item in doc.get("paths", {}).items():
        full = path if not base or path.startswith(base + "/") or path == base else base + path
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                operation["tags"] = [service]
                _rename_operation(operation, id_renames)
                _operation_security(operation, default_security, bearer_names)
                if has_problem:
                    _add_gateway_errors(operation, problem_ref)
        merged["paths"][full] = item
    components: JSON = merged["components"]
    for section in COMPONENT_SECTIONS:
        for name, content in doc.get("components", {}).get(section, {}).items():
            components.setdefault(section, {})[renames.get((section, name), name)] = content


def merge_documents(
    docs: Mapping[str, JSON],
    *,
    issuer: str,
    title: str = "Weerbaar Bestuur API",
    version: str = "1.0.0",
    server_url: str = "/",
    unavailable: Mapping[str, str] | None = None,
) -> JSON:
    """One OpenAPI document with every service's paths, components and a tag per service."""
    renames = component_renames(docs)
    merged = _skeleton(docs, issuer=issuer, title=title, version=version, server_url=server_url)
    id_renames = operation_id_renames(docs)
    for service in sorted(docs):
        doc = _rewrite_refs(copy.deepcopy(docs[service]), renames[service])
        _merge_service(merged, service, doc, renames[service], id_renames[service])
    if unavailable:
        merged["info"]["x-onbeschikbaar"] = dict(unavailable)
        for service, reason in sorted(unavailable.items()):
            if service not in docs:
                merged["tags"].append(
                    {"name": service, "description": f"Niet beschikbaar: {reason}"}
                )
    return merged
