"""Extension points between domains, so that one app can add to another's page without the
page knowing about it (e.g. the directory lists who delivers an intervention).

A section function takes (request, intervention) and returns rendered HTML or "".
Apps register theirs in AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

SectionFunc = Callable[[HttpRequest, Any], str]
_INTERVENTION_SECTIONS: list[tuple[int, SectionFunc]] = []


def register_intervention_section(func: SectionFunc, *, order: int = 100) -> None:
    if all(f is not func for _, f in _INTERVENTION_SECTIONS):
        _INTERVENTION_SECTIONS.append((order, func))
        _INTERVENTION_SECTIONS.sort(key=lambda pair: pair[0])


def intervention_sections(request: HttpRequest, intervention: Any) -> list[SafeString]:
    """Rendered sections (already escaped by their templates) in their registered order."""
    return [
        mark_safe(html)  # noqa: S308
        for _, func in _INTERVENTION_SECTIONS
        if (html := func(request, intervention))
    ]
