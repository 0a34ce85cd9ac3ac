"""A password validator Django lacks: no repeated patterns or near-single characters.

Django's validators accept ``aaaaaaaaaaaa`` (12 characters, not in the common list) and
``passwordpassword`` (a common word twice). This one refuses a password that is a shorter
unit repeated, or that uses fewer than ``min_distinct`` different characters.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class RepetitionValidator:
    def __init__(self, min_distinct: int = 5) -> None:
        self.min_distinct = min_distinct

    def validate(self, password: str, user: Any = None) -> None:
        n = len(password)
        repeated = any(
            n % size == 0 and password == password[:size] * (n // size)
            for size in range(1, n // 2 + 1)
        )
        if repeated or len(set(password.casefold())) < self.min_distinct:
            raise ValidationError(
                _("This password repeats itself or uses too few different characters."),
                code="password_repetitive",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be a repeated pattern such as aaaa or wordword.")
