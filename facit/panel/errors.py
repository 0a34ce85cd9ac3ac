"""Refusals of the panel's services. Status-free: the page or API decides how to answer."""

from __future__ import annotations


class Refused(Exception):
    """A request the panel's rules do not allow; `code` says which rule, for machines."""

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# How a page answers each kind of refusal; anything not listed is a conflict (409).
FORBIDDEN = {"forbidden", "not_invited", "no_consent", "invitation_closed", "not_accepted"}
NOT_FOUND = {"not_found"}
INVALID = {
    "unknown_purpose",
    "invalid_amount",
    "invalid_choice",
    "members_not_eligible",
    "unknown_section",
    "empty",
    "invalid_credit",
    "no_reason",
    "no_change",
    "wrong_version",
    "invalid",
}


def http_status(code: str) -> int:
    """The HTTP status a web page gives a refusal (views only; services never see it)."""
    if code in FORBIDDEN:
        return 403
    if code in NOT_FOUND:
        return 404
    if code in INVALID:
        return 400
    return 409
