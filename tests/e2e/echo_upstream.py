"""A stand-in service for gateway tests: echoes what reached it, or misbehaves on request.

``python -m tests.e2e.echo_upstream SERVICE`` (port in ``WEERBAAR_PORT``). Paths under
``/api/<SERVICE>/v1``: ``/slow`` answers after 30 s, ``/stream`` streams
slowly, ``/count`` counts calls (``/count/total`` reads the count), every
other path echoes method, path, headers and body size as JSON (reading the
whole body). ``/api/<SERVICE>/v1/openapi.json`` is a small valid document.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

import uvicorn
from starlette.types import Receive, Scope, Send

SERVICE = sys.argv[1] if len(sys.argv) > 1 else "beveiliging"
BASE = f"/api/{SERVICE}/v1"
CALLS = {"count": 0, "streamsOpen": 0}


def _document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": SERVICE, "version": "1.0.0"},
        "servers": [{"url": BASE}],
        "paths": {
            f"{BASE}/echo": {
                "get": {
                    "operationId": "echo",
                    "security": [{"HTTPBearer": []}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Echo"}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {"Echo": {"type": "object", "properties": {"path": {"type": "string"}}}},
            "securitySchemes": {"HTTPBearer": {"type": "http", "scheme": "bearer"}},
        },
    }


async def _json(send: Send, body: Any, status: int = 200) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


async def _stream(receive: Receive, send: Send) -> None:
    """Twenty slow chunks; stops as soon as the gateway hangs up."""

    async def chunks() -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain")],
            }
        )
        for i in range(20):
            await send(
                {"type": "http.response.body", "body": f"chunk {i}\n".encode(), "more_body": True}
            )
            await asyncio.sleep(0.5)
        await send({"type": "http.response.body", "body": b""})

    async def disconnected() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    CALLS["streamsOpen"] += 1
    try:
        tasks = [asyncio.ensure_future(chunks()), asyncio.ensure_future(disconnected())]
        _, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
    finally:
        CALLS["streamsOpen"] -= 1


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    path: str = scope["path"]
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    if path in ("/health/live", "/health/ready"):
        await _json(send, {"status": "ok"})
    elif path == f"{BASE}/openapi.json":
        await _json(send, _document())
    elif path == f"{BASE}/slow":
        await asyncio.sleep(30)
        await _json(send, {"slow": True})
    elif path == f"{BASE}/count/total":
        await _json(send, CALLS)
    elif path == f"{BASE}/count":
        CALLS["count"] += 1
        await _json(send, CALLS)
    elif path == f"{BASE}/stream":
        await _stream(receive, send)
    else:
        await _json(
            send,
            {
                "method": scope["method"],
                "path": path,
                "query": scope["query_string"].decode(),
                "headers": [[k.decode(), v.decode()] for k, v in scope["headers"]],
                "bodySize": size,
            },
        )


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["WEERBAAR_PORT"]), log_level="warning")
