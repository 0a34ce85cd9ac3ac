"""Refusals of the panel and guidance services, with the HTTP status a page or API gives them."""

from __future__ import annotations


class Refused(Exception):
    """A request the rules do not allow; `status` is 403, 404 or 409, `code` is for machines."""

    status = 409

    def __init__(self, message: str, *, code: str = "refused", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        if status is not None:
            self.status = status
