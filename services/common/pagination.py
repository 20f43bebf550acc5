"""`?page=&pageSize=` in, `{count, next, previous, results}` out (DESIGN.md collections)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field
from starlette.requests import Request

from services.common.links import absolute_url

MAX_PAGE_SIZE = 100
T = TypeVar("T")


@dataclass(frozen=True)
class PageParams:
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Pagina, vanaf 1.")] = 1,
    page_size: Annotated[
        int, Query(alias="pageSize", ge=1, le=MAX_PAGE_SIZE, description="Maximaal 100.")
    ] = 20,
) -> PageParams:
    return PageParams(page=page, page_size=page_size)


class Page(BaseModel, Generic[T]):
    count: int = Field(description="Het totaal over alle pagina's.")
    next: str | None = Field(description="Link naar de volgende pagina, of null.")
    previous: str | None = Field(description="Link naar de vorige pagina, of null.")
    results: list[T]


def build_page(request: Request, params: PageParams, count: int, results: Sequence[T]) -> Page[T]:
    def link(page: int) -> str:
        query: dict[str, object] = {}
        for key in request.query_params:
            values = request.query_params.getlist(key)
            query[key] = values if len(values) > 1 else values[0]
        query["page"] = page
        query["pageSize"] = params.page_size
        return absolute_url(request, request.url.path, query)

    has_next = params.offset + len(results) < count
    return Page[T](
        count=count,
        next=link(params.page + 1) if has_next else None,
        previous=link(params.page - 1) if params.page > 1 else None,
        results=list(results),
    )
