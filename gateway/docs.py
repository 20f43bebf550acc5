"""``/api/docs``: Swagger UI 5 from the ``fastapi-offline`` wheel, no CDN.

Every asset is served by the gateway itself from the installed package, and the page's
own script points Swagger UI at ``/api/openapi.json`` with the online validator switched
off, so the page works on a network without internet. Swagger UI 5 is needed: the
services publish OpenAPI 3.1, which Swagger UI 4 (``swagger-ui-bundle``) cannot render.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "favicon.png": "image/png",
}

PAGE = """<!DOCTYPE html>
<html lang="nl">
  <head>
    <meta charset="UTF-8">
    <title>Weerbaar Bestuur API</title>
    <link rel="stylesheet" type="text/css" href="{base}/swagger-ui.css">
    <link rel="icon" type="image/png" href="{base}/favicon.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="{base}/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="{base}/init.js" charset="UTF-8"></script>
  </body>
</html>
"""

INIT = """window.onload = function () {{
  window.ui = SwaggerUIBundle({{
    url: "{spec}",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  }});
}};
"""


@cache
def _asset(name: str) -> bytes:
    return (files("fastapi_offline") / "static" / name).read_bytes()


def docs_router(prefix: str = "") -> APIRouter:
    """Routes for the page, its script and the bundled assets."""
    base = f"{prefix}/api/docs"
    spec = f"{prefix}/api/openapi.json"
    router = APIRouter(include_in_schema=False)

    @router.get("/api/docs")
    async def docs_page() -> HTMLResponse:
        return HTMLResponse(PAGE.format(base=base))

    @router.get("/api/docs/init.js")
    async def docs_init() -> Response:
        return Response(INIT.format(spec=spec), media_type="text/javascript")

    @router.get("/api/docs/{asset}")
    async def docs_asset(asset: str) -> Response:
        if asset not in ASSETS:
            raise HTTPException(status_code=404)
        return Response(_asset(asset), media_type=ASSETS[asset])

    return router
