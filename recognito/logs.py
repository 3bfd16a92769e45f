"""Log lines as JSON objects (`--log-format json`), each with the id of the request it
belongs to.

The Dispatcher sets REQUEST_ID (the x-amzn-RequestId it answers with) in the request's
task; the operation's worker thread runs in a copy of that context, and uvicorn's access
log line is written in the same task, so all of a request's lines carry its id.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
ACCESS_LOGGER = "uvicorn.access"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id (when there is
    one), exception (a traceback). Access log lines leave out the query string: the
    confirmation links' and identity providers' callbacks carry codes in it."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": _access_message(record) or record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            line["request_id"] = request_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def _access_message(record: logging.LogRecord) -> str | None:
    """uvicorn's access line (client, method, path, HTTP version, status) without the
    path's query string; None for any other record."""
    args = record.args
    if record.name != ACCESS_LOGGER or not isinstance(args, tuple) or len(args) != 5:
        return None
    client, method, path, version, status = args
    path = str(path).split("?", 1)[0]
    return f'{client} - "{method} {path} HTTP/{version}" {status}'


def json_handler() -> logging.Handler:
    handler = logging.StreamHandler()  # standard error, as the text format's
    handler.setFormatter(JsonFormatter())
    return handler
