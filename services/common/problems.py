"""RFC 9457 problem details: the one error format of every process."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from services.common.json_body import MalformedJson, syntax_error

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:weerbaar:probleem:"
MALFORMED_JSON_CODE = "ongeldige-json"
MALFORMED_JSON_TITLE = "De body is geen geldige JSON."
# An error is never larger than what provoked it: at most this many entries in invalidParams
# (the rest counted in `invalidParamsWeggelaten`), and no name, reason or detail longer than
# this, since names are paths into the client's body and reasons may quote it.
MAX_INVALID_PARAMS = 50
MAX_PROBLEM_TEXT = 200
MAX_PROBLEM_DETAIL = 1000

logger = logging.getLogger("weerbaar.problems")


class InvalidParam(BaseModel):
    name: str = Field(description="Dotted path in the body, or the query parameter's name.")
    code: str = Field(description="Stable machine word: required, enum, max_length, format, …")
    reason: str


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    model_config = ConfigDict(populate_by_name=True)

    type: str = Field(default="about:blank", examples=["urn:weerbaar:probleem:ongeldige-invoer"])
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    invalid_params: list[InvalidParam] | None = Field(
        default=None,
        alias="invalidParams",
        description=f"Elk probleem met de invoer; hooguit de eerste {MAX_INVALID_PARAMS}.",
    )
    invalid_params_weggelaten: int | None = Field(
        default=None,
        alias="invalidParamsWeggelaten",
        description=(
            f"Alleen als er meer dan {MAX_INVALID_PARAMS} problemen waren: hoeveel er niet in "
            "`invalidParams` staan."
        ),
    )


class DomainError(Exception):
    """An error the rules raise; it carries its HTTP status so services need not know HTTP."""

    status: int = 400
    code: str | None = None
    title: str | None = None

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        invalid_params: list[InvalidParam] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.invalid_params = invalid_params
        self.headers = headers or {}


class InvalidInput(DomainError):
    status = 400
    code = "ongeldige-invoer"
    title = "De invoer is ongeldig."

    @classmethod
    def field(cls, name: str, code: str, reason: str) -> InvalidInput:
        return cls(reason, invalid_params=[InvalidParam(name=name, code=code, reason=reason)])


class NotFound(DomainError):
    status = 404
    code = None
    title = "Niet gevonden."


class Forbidden(DomainError):
    status = 403
    code = None
    title = "Geen toegang."


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict met de huidige toestand."


class PreconditionFailed(DomainError):
    status = 412
    code = "verouderde-versie"
    title = "De versie in If-Match is niet meer de huidige."


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problem_body(
    status: int,
    *,
    detail: str | None = None,
    code: str | None = None,
    title: str | None = None,
    instance: str | None = None,
    invalid_params: list[InvalidParam] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"{PROBLEM_TYPE_PREFIX}{code}" if code else "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": _shorten(
            detail or HTTPStatus(status).description or HTTPStatus(status).phrase,
            MAX_PROBLEM_DETAIL,
        ),
        "instance": _shorten(instance, MAX_PROBLEM_DETAIL) if instance else instance,
    }
    if invalid_params:
        body["invalidParams"] = [
            {
                "name": _shorten(p.name, MAX_PROBLEM_TEXT),
                "code": _shorten(p.code, MAX_PROBLEM_TEXT),
                "reason": _shorten(p.reason, MAX_PROBLEM_TEXT),
            }
            for p in invalid_params[:MAX_INVALID_PARAMS]
        ]
        if len(invalid_params) > MAX_INVALID_PARAMS:
            body["invalidParamsWeggelaten"] = len(invalid_params) - MAX_INVALID_PARAMS
    return body


def problem_response(
    status: int,
    *,
    detail: str | None = None,
    code: str | None = None,
    title: str | None = None,
    instance: str | None = None,
    invalid_params: list[InvalidParam] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = problem_body(
        status,
        detail=detail,
        code=code,
        title=title,
        instance=instance,
        invalid_params=invalid_params,
    )
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


# Pydantic error types → the stable codes partners program against.
_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "enum": "enum",
    "literal_error": "enum",
    "string_too_long": "max_length",
    "string_too_short": "min_length",
    "too_long": "max_items",
    "too_short": "min_items",
    "greater_than": "minimum",
    "greater_than_equal": "minimum",
    "less_than": "maximum",
    "less_than_equal": "maximum",
    "json_invalid": "invalid_json",
    "model_attributes_type": "type",
    "dict_type": "type",
    "list_type": "type",
    "string_type": "type",
    "bool_type": "type",
    "bool_parsing": "type",
    "int_type": "type",
    "int_parsing": "type",
    "decimal_parsing": "format",
    "datetime_parsing": "format",
    "datetime_type": "format",
    "datetime_from_date_parsing": "format",
    "timezone_aware": "timezone",
    "date_parsing": "format",
    "date_from_datetime_parsing": "format",
    "date_from_datetime_inexact": "format",
    "uuid_parsing": "format",
    "uuid_type": "format",
    "string_pattern_mismatch": "pattern",
    "value_error": "invalid",
    "read_only": "read_only",
}


def _param_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def invalid_params_from(errors: list[Any]) -> list[InvalidParam]:
    params = []
    for error in errors:
        kind = str(error.get("type", "invalid"))
        code = _CODES.get(kind, kind)
        params.append(
            InvalidParam(
                name=_param_name(tuple(error.get("loc", ()))),
                code=code,
                reason=str(error.get("msg", "invalid")),
            )
        )
    return params


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def _allowed_methods(request: Request) -> list[str]:
    """Every method any route serves at this path: Starlette only lists the first match's.

    Asked through each route's own matching, so routers that FastAPI includes lazily
    (``_IncludedRouter``, which has no ``path_regex``) count too. HEAD wherever GET is: every
    process answers it as GET (services.common.head).
    """
    methods: set[str] = set()
    for method in _METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            methods.add(method)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else None
    return problem_response(
        exc.status_code, detail=detail, instance=request.url.path, headers=headers
    )


def _malformed_json(exc: RequestValidationError) -> MalformedJson | None:
    """FastAPI's own decoding error, should a body reach it (JsonBodyMiddleware refuses them
    first): its `loc` is the decoder's offset, which is no field, so it becomes the detail."""
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            position = error.get("loc", ("body", 0))[-1]
            message = str(error.get("ctx", {}).get("error", "invalid"))
            text = exc.body if isinstance(exc.body, str) else ""
            if isinstance(position, int) and text:
                return syntax_error(text, position, message)
            return MalformedJson(message)
    return None


async def _validation_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    malformed = _malformed_json(exc)
    if malformed is not None:
        return problem_response(
            400,
            code=MALFORMED_JSON_CODE,
            title=MALFORMED_JSON_TITLE,
            detail=malformed.detail,
            instance=request.url.path,
        )
    return problem_response(
        400,
        code="ongeldige-invoer",
        title="De invoer is ongeldig.",
        detail="Zie invalidParams voor elk probleem.",
        instance=request.url.path,
        invalid_params=invalid_params_from(list(exc.errors())),
    )


async def _domain_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return problem_response(
        exc.status,
        detail=exc.detail,
        code=exc.code,
        title=exc.title,
        instance=request.url.path,
        invalid_params=exc.invalid_params,
        headers=exc.headers,
    )


async def _unexpected_exception(request: Request, exc: Exception) -> JSONResponse:
    # Logged with its type only: messages of driver errors can quote personal data.
    logger.error("unhandled error", extra={"error_type": type(exc).__name__})
    return problem_response(500, instance=request.url.path)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation_exception)
    app.add_exception_handler(DomainError, _domain_exception)
    app.add_exception_handler(Exception, _unexpected_exception)
