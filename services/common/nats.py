"""NATS JetStream plumbing shared by the producing relays and the consuming side.

The one stream `WEERBAAR` holds every service's events (`weerbaar.<service>.<type>`). Whoever
connects first creates it; creating it is idempotent, so any number of processes may race.
"""

from __future__ import annotations

import asyncio
import logging

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

log = logging.getLogger("weerbaar.nats")

STREAM = "WEERBAAR"
STREAM_SUBJECTS = ["weerbaar.>"]
MSG_ID_HEADER = "Nats-Msg-Id"
REACH_HEADER = "Weerbaar-Bereik"

# Limits (docs/events.md): a week of history, 1 GiB, duplicates dropped for 2 minutes.
MAX_AGE_SECONDS = 7 * 24 * 3600
MAX_BYTES = 1024**3
MAX_MSG_BYTES = 1024 * 1024
DUPLICATE_WINDOW_SECONDS = 120


def stream_config() -> StreamConfig:
    return StreamConfig(
        name=STREAM,
        description="Weerbaar Bestuur events (CloudEvents 1.0, structured JSON)",
        subjects=STREAM_SUBJECTS,
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=MAX_AGE_SECONDS,
        max_bytes=MAX_BYTES,
        max_msg_size=MAX_MSG_BYTES,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
    )


async def ensure_stream(js: JetStreamContext) -> None:
    """Create `WEERBAAR` when it is missing; leave an existing one as its operator set it."""
    try:
        await js.stream_info(STREAM)
        return
    except NotFoundError:
        pass
    try:
        await js.add_stream(stream_config())
    except BadRequestError as error:
        # Another process created it between our lookup and our create.
        if error.err_code != 10058:  # JSStreamNameExistErr
            raise


async def quiet_errors(error: Exception) -> None:
    """The client's error callback: our loops log one warning per retry themselves; the
    client's default logs a traceback at ERROR for every failed attempt."""
    log.debug("nats client error", extra={"error_type": type(error).__name__})


async def connect(url: str, *, name: str, connect_timeout: float = 2.0) -> Client:
    """One connection without the client's own reconnect loop: the caller owns backoff, so a
    publish never sits in a reconnect buffer and arrives minutes later (past the dedupe window)."""
    # Bounded here as well: nats-py keeps retrying a refused first connect however it is
    # configured, which would hold a relay (and its process's shutdown) indefinitely.
    return await asyncio.wait_for(
        nats.connect(
            servers=[part.strip() for part in url.split(",") if part.strip()],
            name=name,
            connect_timeout=connect_timeout,
            allow_reconnect=False,
            max_reconnect_attempts=0,
            error_cb=quiet_errors,
        ),
        timeout=2 * connect_timeout,
    )
