"""Each service's OpenAPI document as the NL GOV API Design Rules want it.

FastAPI's 422 entries become 400 problem+json; every success declares `API-Version`; error
responses are problem+json; `servers` carries the `/v1` base path, so paths are relative to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from services.common.head import HEAD_RULE
from services.common.json_body import MAX_JSON_DEPTH, MAX_JSON_NUMBER_LENGTH
from services.common.middleware import API_VERSION
from services.common.problems import MAX_INVALID_PARAMS, Problem

CONTACT = {
    "name": "Weerbaar Bestuur — platformteam",
    "email": "platform@weerbaarbestuur.nl",
    "url": "https://www.weerbaarbestuur.nl",
}

# In every service's description, before its changelog (and so in its tag in the gateway's
# document): the one place that says what each shared problem type means.
PROBLEM_TYPES = f"""

**Foutmeldingen.** Elke fout is `application/problem+json` (RFC 9457). `type` is `about:blank`
voor een gewone HTTP-fout, anders `urn:weerbaar:probleem:<code>`:

- `ongeldige-json` (400): de body is geen JSON zoals deze API die leest, namelijk RFC 8259 in
  het I-JSON-profiel (RFC 7493): UTF-8 zonder BOM; geen `NaN`, `Infinity` of `-Infinity`; geen
  naam twee keer in één object (geweigerd, niet "de laatste wint", zodat elke lezer dezelfde
  body ziet); arrays en objecten hoogstens {MAX_JSON_DEPTH} niveaus diep; elk getal hoogstens
  {MAX_JSON_NUMBER_LENGTH} tekens en binnen het bereik van een double. `detail` zegt waar
  (`Regel 3, kolom 14: hier hoort een komma.`) of wat; `invalidParams` ontbreekt, want er is
  nog geen veld.
- `ongeldige-invoer` (400): geldige JSON (of query) met ongeldige velden, ook een body die geen
  object is waar een object hoort; `invalidParams` noemt elk probleem.
- `conflict` en `ongeldige-statusovergang` (409): de huidige toestand laat het niet toe.
- `verouderde-versie` (412): de versie in `If-Match` is niet meer de huidige.

Typen die één dienst eigen zijn, hebben dezelfde vorm.
"""

_ERRORS = {
    "400": (
        "De invoer is ongeldig (`ongeldige-invoer`); `invalidParams` noemt elk probleem, "
        f"hooguit de eerste {MAX_INVALID_PARAMS} (`invalidParamsWeggelaten` telt de rest). "
        "Of de body is geen JSON zoals deze API die leest (`ongeldige-json`, zonder "
        "`invalidParams`); zie Foutmeldingen in de beschrijving van de API."
    ),
    "401": "Geen of geen geldig bearer-token.",
    "403": "Deze rol mag dit nooit.",
    "404": "Bestaat niet, of valt buiten uw bereik.",
    "405": "Methode niet ondersteund; zie de `Allow`-header.",
    "406": "Gevraagd mediatype wordt niet geleverd.",
    "413": "De body is groter dan 1 MiB.",
    "415": "De body moet application/json zijn.",
    "429": "Te veel verzoeken; zie `Retry-After`.",
    "500": "Onverwachte fout.",
    "503": "Tijdelijk niet beschikbaar.",
}
_BODY_ONLY = {"413", "415"}


def _version_header(version: str) -> dict[str, Any]:
    return {
        "description": "De volledige versie van de API.",
        "schema": {"type": "string", "example": version},
    }


_REQUEST_ID_HEADER = {
    "description": "Het request-id van de client, of een nieuw.",
    "schema": {"type": "string"},
}
_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def _problem_response(description: str, version: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"API-Version": _version_header(version)},
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


def _documented_errors(*, has_body: bool, public: bool) -> Iterator[tuple[str, str]]:
    """The error statuses every operation documents; a public one still refuses a bad token
    (401) but never answers 403."""
    for status, description in _ERRORS.items():
        if status in _BODY_ONLY and not has_body:
            continue
        if public and status == "403":
            continue
        yield status, description


def _add_error_responses(
    responses: dict[str, Any], errors: Iterable[tuple[str, str]], version: str
) -> None:
    for status, description in errors:
        existing = responses.get(status)
        if (
            existing is None
            or "content" not in existing
            or "application/json" in existing.get("content", {})
        ):
            desc = existing.get("description", description) if existing else description
            responses[status] = _problem_response(desc, version)


def _finish_responses(responses: dict[str, Any], version: str) -> None:
    """Errors as problem+json; successes with the API-Version and X-Request-ID headers."""
    for status, response in responses.items():
        if status.startswith(("4", "5")) and "application/problem+json" not in response.get(
            "content", {}
        ):
            response["content"] = _problem_response(response.get("description", ""), version)[
                "content"
            ]
        if status.startswith(("2", "3")):
            headers = response.setdefault("headers", {})
            headers.setdefault("API-Version", _version_header(version))
            headers.setdefault("X-Request-ID", _REQUEST_ID_HEADER)


def _fix_operation(method: str, operation: dict[str, Any], public: bool, version: str) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    responses.pop("422", None)
    errors = _documented_errors(has_body="requestBody" in operation, public=public)
    _add_error_responses(responses, errors, version)
    _finish_responses(responses, version)
    if public:
        operation["security"] = [{}, {"bearerAuth": []}]
    if method not in {"get", "delete"} or operation.get("parameters"):
        responses.setdefault("400", _problem_response(_ERRORS["400"], version))


def with_common_rules(description: str) -> str:
    """The service's description with the rules every service shares, before its changelog."""
    lines = description.rstrip("\n").split("\n")
    changelog = next(
        (i for i, line in enumerate(lines) if line.startswith(("## ", "**Changelog"))),
        len(lines),
    )
    head = "\n".join(lines[:changelog]).rstrip("\n")
    tail = "\n".join(lines[changelog:])
    rules = f"{HEAD_RULE}\n\n{PROBLEM_TYPES.strip()}"
    return f"{head}\n\n{rules}\n" + (f"\n{tail}\n" if tail else "")


def build_openapi(
    app: FastAPI,
    *,
    title: str,
    description: str,
    base_path: str,
    is_public: Callable[[str, str], bool] = lambda _method, _path: False,
    version: str = API_VERSION,
) -> dict[str, Any]:
    """The document with paths relative to `base_path`, which becomes the server URL."""
    document = get_openapi(
        title=title,
        version=version,
        description=with_common_rules(description),
        routes=app.routes,
        contact=CONTACT,
        license_info={"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
    )
    document["servers"] = [{"url": base_path, "description": "Deze service, ook via de gateway"}]
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    problem_schema = Problem.model_json_schema(
        by_alias=True, ref_template="#/components/schemas/{model}"
    )
    for name, definition in problem_schema.pop("$defs", {}).items():
        schemas[name] = definition
    schemas["Problem"] = problem_schema
    components["securitySchemes"] = {
        "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": (
                "Access token (RS256/ES256) van de OIDC-provider, audience `weerbaar-api`."
            ),
        }
    }
    document["security"] = [{"bearerAuth": []}]
    paths: dict[str, Any] = {}
    for path, item in document.get("paths", {}).items():
        if not path.startswith(base_path):
            continue
        relative = path[len(base_path) :] or "/"
        for method, operation in item.items():
            if method in _METHODS:
                _fix_operation(method, operation, is_public(method, path), version)
        paths[relative] = item
    document["paths"] = paths
    return document
