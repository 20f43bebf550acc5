"""Structured JSON logs carrying the request id; nothing personal, no bodies, no tokens."""

from __future__ import annotations

import json
import logging
import sys
import time
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from fastapi.telemetry import TelemetryConfig

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# FastAPI's native OpenTelemetry stays off in every process: the platform's own telemetry is
# the JSON line and Prometheus, and spans that a globally configured provider would export
# carry paths and query strings. Off, it also skips a check of the global providers on every
# request (3 % of the gateway's CPU).
FASTAPI_TELEMETRY_OFF: Final[TelemetryConfig] = {"tracing": False, "metrics": False, "logs": False}

# Only these extra attributes reach the log line: an allow-list keeps personal data out even
# when a caller passes more.
_ALLOWED_EXTRA = (
    "service",
    "method",
    "route",
    "status",
    "duration_ms",
    "error_type",
    "upstream",
    "event",
    "count",
    "reason",
)


# One encoder for every line: ``json.dumps`` with an option builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service
        self._second = -1
        self._stamp = ""

    def _time(self, created: float, msecs: float) -> str:
        # One strftime per second, not per line: the access line is written for every request.
        second = int(created)
        if second != self._second:
            self._second = second
            self._stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._stamp}.{int(msecs):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self._time(record.created, record.msecs),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["requestId"] = request_id
        attributes = record.__dict__
        for key in _ALLOWED_EXTRA:
            value = attributes.get(key)
            if value is not None:
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["error_type"] = record.exc_info[0].__name__
        return _ENCODER.encode(entry)


def configure_logging(service: str, level: str = "INFO") -> None:
    # The JSON line never shows the caller's file and line, thread or process, so no record
    # looks them up (the optimisations the logging HOWTO names; the caller's stack walk ran
    # for every access line).
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # uvicorn's access log prints query strings; our own access line replaces it.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # Driver and HTTP client loggers can echo parameters or URLs at debug level.
    for name in ("sqlalchemy", "httpx", "httpcore", "aiohttp", "asyncpg", "aiosqlite"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
