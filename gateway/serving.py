"""The gateway's HTTP server protocol: the common one, plus 413 for a body longer than declared.

A client that declares ``Content-Length: 4096`` and sends 20 MiB has the server read 4096 bytes
as the body and the rest as the next request, which does not parse: uvicorn answered that with
a plain-text 400 (and could write it before the answer to the request in flight). Bytes after a
declared body that do not make a request head are that body going on past its length, so the
gateway answers 413 problem+json and closes the connection; a request whose answer has not
begun is dropped (its body is cut off: nothing is forwarded, or what the service answered to
the cut-off body is not what the client gets). A pipelined request that parses is still served;
behind a pipelined request still being answered, the answer stays uvicorn's 400.
"""

from __future__ import annotations

from services.common.serving import GuardedHttpToolsProtocol, problem_bytes

OVERFLOW_DETAIL = "De body is langer dan de opgegeven Content-Length."


class GatewayHttpProtocol(GuardedHttpToolsProtocol):
    """After a message with a declared body, bytes that are no request head are 413."""

    _declared_body = False  # the message being parsed declared a Content-Length > 0
    _after_declared_body = False  # the last complete message did; no head has parsed since

    def on_headers_complete(self) -> None:
        self._after_declared_body = False
        self._declared_body = any(
            name == b"content-length" and value.strip() not in (b"", b"0")
            for name, value in self.headers
        )
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._after_declared_body = self._declared_body
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        if not self._after_declared_body or self.pipeline:
            # Not after a declared body, or behind a pipelined request still being answered:
            # uvicorn's own answer, as before.
            super().send_400_response(msg)
            return
        self._refused = True
        self._disarm()
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            if cycle.response_started:
                # Its answer is going out: nothing may be written in between; close after it.
                cycle.keep_alive = False
                self.flow.pause_reading()
                return
            # Its body was cut off at the declared length: the app gets a disconnect when it
            # reads, and whatever it sends is dropped.
            cycle.disconnected = True
            cycle.message_event.set()
        self.transport.write(problem_bytes(413, OVERFLOW_DETAIL))
        self.transport.close()
