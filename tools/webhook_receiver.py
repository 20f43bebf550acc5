"""A local webhook receiver for trying the events out: prints each event and whether its
Standard Webhooks signature holds.

    python -m tools.webhook_receiver --port 9100 --secret whsec_…

Development only: it listens on loopback, answers 204 to a valid delivery and 401 to one
whose signature does not verify (notificaties then retries it, as it would for a partner).
"""

from __future__ import annotations

import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

MAX_BODY = 1024 * 1024


def handler_for(webhook: Webhook | None) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = min(int(self.headers.get("Content-Length") or 0), MAX_BODY)
            body = self.rfile.read(length)
            headers = {key.lower(): value for key, value in self.headers.items()}
            verdict = "not checked (no --secret)"
            status = 204
            if webhook is not None:
                try:
                    webhook.verify(body, headers)
                    verdict = "valid"
                except WebhookVerificationError as error:
                    verdict, status = f"INVALID ({error})", 401
            event: dict[str, Any] = json.loads(body or b"{}")
            print(
                f"{headers.get('webhook-id')}  {event.get('type')}  subject={event.get('subject')}"
                f"  signature {verdict}\n  data: {json.dumps(event.get('data'))}",
                flush=True,
            )
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--secret", help="the whsec_… secret from the subscription's 201")
    args = parser.parse_args(argv)
    webhook = Webhook(args.secret) if args.secret else None
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(webhook))
    print(f"receiving on http://127.0.0.1:{args.port}/webhook (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
