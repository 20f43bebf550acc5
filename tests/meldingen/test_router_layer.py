"""Routers return what their response_model says (STYLE.md, "One layout, one vocabulary").

A router that builds a `JSONResponse` bypasses its response_model: the document then
promises one shape and the code sends another, and what a reader may not see is hidden by
hand in each place. So no meldingen router (nor notificaties' abonnement router) names
`JSONResponse`; non-JSON answers (the CSV, the attachment stream) stay plain Responses.

And where an answer holds a field only some readers get (`behandelaar`, the deadline
fields, `omschrijving` in a list, `oorspronkelijkeBestandsnaam`, a statistics group's
dimensions), the service leaves it unset, which only keeps it out of the answer when the
route sets `response_model_exclude_unset`: every such route must.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel

from services.meldingen.mijngegevens.schemas import MijnGegevensOut

ROOT = Path(__file__).resolve().parents[2]
MELDINGEN_ROUTERS = sorted((ROOT / "services" / "meldingen").glob("*/router.py"))
ROUTERS = [*MELDINGEN_ROUTERS, ROOT / "services" / "notificaties" / "abonnement" / "router.py"]
# The routes whose answers hold a reader-dependent field: the scan below must find these.
READER_DEPENDENT = {
    "meldingAanmaken",
    "meldingenLijst",
    "meldingOphalen",
    "meldingWijzigen",
    "meldingStatusWijzigen",
    "meldingToewijzen",
    "bijlageToevoegen",
    "bijlagenLijst",
    "bijlageOphalen",
    "mijnGegevensOphalen",
    "statistiekenOphalen",
}


def _json_response_line(node: ast.AST) -> int | None:
    if isinstance(node, ast.ImportFrom):
        named = any(alias.name == "JSONResponse" for alias in node.names)
        return node.lineno if named else None
    if isinstance(node, ast.Name) and node.id == "JSONResponse":
        return node.lineno
    if isinstance(node, ast.Attribute) and node.attr == "JSONResponse":
        return node.lineno
    return None


def json_response_lines(source: str) -> list[int]:
    """The lines where `source` imports, names or calls JSONResponse (under any module)."""
    lines = {_json_response_line(node) for node in ast.walk(ast.parse(source))}
    return sorted(line for line in lines if line is not None)


@pytest.mark.parametrize(
    "source",
    [
        "from fastapi.responses import JSONResponse\n",
        "from starlette.responses import JSONResponse as Antwoord\n",
        "import fastapi\n\ndef f():\n    return fastapi.responses.JSONResponse({})\n",
        "def f() -> JSONResponse:\n    ...\n",
    ],
)
def test_the_scan_finds_a_json_response(source: str) -> None:
    assert json_response_lines(source)


def test_the_scan_lets_a_plain_router_pass() -> None:
    source = "from fastapi import Response\n\ndef f(response: Response) -> dict[str, int]: ...\n"
    assert json_response_lines(source) == []


def test_every_meldingen_subdomain_router_is_scanned() -> None:
    names = {path.parent.name for path in MELDINGEN_ROUTERS}
    assert names >= {"melding", "notitie", "inzage", "aangifte", "nazorg", "statistiek"}
    assert names >= {"mijngegevens", "bijlage"}


@pytest.mark.parametrize("path", ROUTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_router_builds_a_json_response(path: Path) -> None:
    found = json_response_lines(path.read_text(encoding="utf-8"))
    assert found == [], f"{path.relative_to(ROOT)} names JSONResponse on lines {found}"


# ---- reader-dependent fields ------------------------------------------------------------------


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for arg in get_args(annotation):
        yield from _models_in(arg)


def optional_fields(model: Any) -> list[str]:
    """`Model.field` for every field with a default, in `model` and every model inside it."""
    seen: set[type[BaseModel]] = set()
    todo = list(_models_in(model))
    found = []
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, info in current.model_fields.items():
            if not info.is_required():
                found.append(f"{current.__name__}.{name}")
            todo.extend(_models_in(info.annotation))
    return found


def meldingen_routes() -> list[APIRoute]:
    routes = []
    for path in MELDINGEN_ROUTERS:
        module = importlib.import_module(f"services.meldingen.{path.parent.name}.router")
        routes += [route for route in module.router.routes if isinstance(route, APIRoute)]
    return routes


def test_the_field_walk_sees_nested_models() -> None:
    found = optional_fields(MijnGegevensOut)
    assert "MijnMelding.behandelaar" in found
    assert "BijlageOut.oorspronkelijke_bestandsnaam" in found


def test_routes_with_reader_dependent_fields_leave_unset_ones_out() -> None:
    dependent = {
        route.operation_id: route
        for route in meldingen_routes()
        if route.response_model is not None and optional_fields(route.response_model)
    }
    assert set(dependent) == READER_DEPENDENT
    missing = [name for name, route in dependent.items() if not route.response_model_exclude_unset]
    assert missing == [], f"set response_model_exclude_unset=True on {missing}"
