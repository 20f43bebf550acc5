"""``/api/docs``: Swagger UI from the ``swagger-ui-bundle`` package, no CDN.

Every asset is served by the gateway itself from the installed package, and
the page's own script points Swagger UI at ``/api/openapi.json`` with the
online validator switched off, so the page works on a network without
internet.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException
from swagger_ui_bundle import swagger_ui_path

ASSETS = frozenset(
    {
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "favicon-32x32.png",
        "favicon-16x16.png",
        "oauth2-redirect.html",
    }
)

PAGE = """<!DOCTYPE html>
<html lang="nl">
  <head>
    <meta charset="UTF-8">
    <title>Weerbaar Bestuur API</title>
    <link rel="stylesheet" type="text/css" href="{base}/swagger-ui.css">
    <link rel="icon" type="image/png" href="{base}/favicon-32x32.png" sizes="32x32">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="{base}/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="{base}/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
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
    oauth2RedirectUrl: window.location.origin + "{base}/oauth2-redirect.html",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"
  }});
}};
"""


def docs_router(prefix: str = "") -> APIRouter:
    """Routes for the page, its script and the bundled assets."""
    base = f"{prefix}/api/docs"
    spec = f"{prefix}/api/openapi.json"
    root = Path(str(swagger_ui_path))
    router = APIRouter(include_in_schema=False)

    @router.get("/api/docs")
    async def docs_page() -> HTMLResponse:
        return HTMLResponse(PAGE.format(base=base))

    @router.get("/api/docs/init.js")
    async def docs_init() -> Response:
        return Response(INIT.format(base=base, spec=spec), media_type="text/javascript")

    @router.get("/api/docs/{asset}")
    async def docs_asset(asset: str) -> Response:
        if asset not in ASSETS:
            raise HTTPException(status_code=404)
        media_type = mimetypes.guess_type(asset)[0] or "application/octet-stream"
        if asset.endswith(".js"):
            media_type = "text/javascript"
        return Response((root / asset).read_bytes(), media_type=media_type)

    return router
