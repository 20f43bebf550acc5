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


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _body_size(receive: Receive) -> int | None:
    """Read the whole request body; its size, or None when the client went away."""
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    return size


async def _slow(send: Send) -> None:
    await asyncio.sleep(30)
    await _json(send, {"slow": True})


async def _count(send: Send) -> None:
    CALLS["count"] += 1
    await _json(send, CALLS)


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    path: str = scope["path"]
    size = await _body_size(receive)
    if size is None:
        return
    fixed = {
        "/health/live": lambda: _json(send, {"status": "ok"}),
        "/health/ready": lambda: _json(send, {"status": "ok"}),
        f"{BASE}/openapi.json": lambda: _json(send, _document()),
        f"{BASE}/slow": lambda: _slow(send),
        f"{BASE}/count/total": lambda: _json(send, CALLS),
        f"{BASE}/count": lambda: _count(send),
        f"{BASE}/stream": lambda: _stream(receive, send),
    }
    if path in fixed:
        await fixed[path]()
        return
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
