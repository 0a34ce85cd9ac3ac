"""The page's language for the directory's stored texts."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


def _swedish() -> bool:
    return (get_language() or "sv").startswith("sv")


@register.filter
def localized(obj: Any, name: str) -> str:
    """`{{ service|localized:"description" }}`: the Swedish wording (`description_sv`) on
    Swedish pages where one is stored, otherwise the text itself."""
    value = obj.get(name, "") if isinstance(obj, dict) else getattr(obj, name, "")
    if _swedish():
        sv = obj.get(f"{name}_sv", "") if isinstance(obj, dict) else getattr(obj, f"{name}_sv", "")
        if sv:
            return str(sv)
    return str(value or "")


@register.filter
def untranslated(obj: Any, name: str) -> bool:
    """True on a Swedish page when the text has no Swedish wording (shown with lang="en")."""
    if not _swedish():
        return False
    value = obj.get(name, "") if isinstance(obj, dict) else getattr(obj, name, "")
    sv = obj.get(f"{name}_sv", "") if isinstance(obj, dict) else getattr(obj, f"{name}_sv", "")
    return bool(value) and not sv


@register.filter
def as_sentence(value: Any) -> str:
    """`{{ text|as_sentence }}`: a capital first letter and a closing stop, for a stored
    phrase shown after another sentence (never "Evonhuset Malmö. från 15 år")."""
    from facit.core.sentences import sentence

    return sentence(str(value or ""))


@register.filter
def safe_url(value: Any) -> str:
    """The address when it is http(s), mailto or tel; "" otherwise (never a javascript: link,
    whatever was imported)."""
    from facit.directory.hsds.validate import url_allowed

    text = str(value or "")
    return text if text and url_allowed(text) else ""
