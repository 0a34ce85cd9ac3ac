"""Structured logs: one JSON object a line, each carrying the id of the request (or of the
job started by a request) it belongs to.

Log lines never carry personal data: the request line holds the method, the path without its
query string, the status and the duration, never who asked or what they typed.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# An incoming X-Request-ID is kept only when it looks like an id, never as free text.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def new_request_id(incoming: str | None = None) -> str:
    if incoming and _SAFE_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


# Attributes every LogRecord has; anything else passed with `extra=` is added to the line.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}
# Django attaches the request object and the socket to some records; neither is logged.
_DROPPED = {"request", "server_time", "status_code"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            line["status"] = status
        for key, value in record.__dict__.items():
            if key in _STANDARD or key in _DROPPED or key.startswith("_"):
                continue
            line[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def axes_client_str(
    username: str, ip_address: str, user_agent: str, path_info: object, request: object
) -> str:
    """django-axes' description of a client in its log lines: no username, address or agent."""
    if isinstance(path_info, tuple | list):
        path_info = path_info[0] if path_info else ""
    return f'{{path_info: "{path_info}"}}'
