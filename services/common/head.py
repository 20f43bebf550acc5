"""HEAD on every GET route: the GET answer without its body (RFC 9110 §9.3.2).

FastAPI registers a GET route for GET alone (Starlette's own routes add HEAD), so without
this layer HEAD is 405 everywhere, though partners, caches and monitoring probe with it and
the public routes name it. One layer does it for every route, present and future, instead
of a second registration per route: everything inside it sees GET, so routing,
authentication, roles, reach, audit and every header (Content-Length, ETag, Repr-Digest)
are GET's by construction. The body is dropped here, so the answer is right whatever
carries it (uvicorn drops a HEAD body itself; an in-process test client does not).

The OpenAPI documents list no HEAD operations; their description says this rule once.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# What every service's OpenAPI description says about HEAD (services.common.openapi).
HEAD_RULE = (
    "**HEAD.** Elke `GET` beantwoordt ook `HEAD`, met dezelfde status en headers "
    "(`Content-Length`, `ETag`, …) en zonder body, en met dezelfde rol- en bereikregels "
    "(401 zonder token waar `GET` er een vraagt, 404 buiten bereik); waar een `GET` in een "
    "toegangslog komt, komt een `HEAD` er ook in. De operaties staan hier alleen als `GET`; "
    "een `405` noemt `HEAD` in `Allow` waar `GET` bestaat."
)


class HeadAsGetMiddleware:
    """Answer HEAD as GET, then send the head of that answer and no body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        # A copy: the server reads the method from its own scope to know no body goes out.
        inner = {**scope, "method": "GET"}

        async def send_head(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        try:
            await self.app(inner, receive, send_head)
        finally:
            # What routing recorded (the route, its path parameters) is read outside this
            # layer, e.g. by the access log: hand it back, keeping the method HEAD.
            scope.update({key: value for key, value in inner.items() if key != "method"})
