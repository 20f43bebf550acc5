"""The local receiver `make run` suggests accepts a correctly signed delivery and refuses a
forged one, as a partner's receiver should."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from tools.webhook_receiver import handler_for

SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()


@pytest.fixture
def receiver_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(Webhook(SECRET)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/webhook"
    server.shutdown()
    server.server_close()


def test_a_signed_delivery_is_accepted_and_a_forged_one_refused(receiver_url: str) -> None:
    body = json.dumps({"type": "nl.weerbaarbestuur.meldingen.melding-aangemaakt", "data": {}})
    now = datetime.now(UTC)
    signature = Webhook(SECRET).sign("evt-1", now, body)
    headers = {
        "webhook-id": "evt-1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/cloudevents+json",
    }
    assert httpx.post(receiver_url, content=body, headers=headers).status_code == 204
    forged = {**headers, "webhook-signature": "v1," + base64.b64encode(b"x" * 32).decode()}
    assert httpx.post(receiver_url, content=body, headers=forged).status_code == 401
