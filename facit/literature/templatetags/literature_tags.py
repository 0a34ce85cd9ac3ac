"""Highlighting of a review's inclusion and exclusion terms in titles and abstracts."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _terms(text: str) -> list[str]:
    return [t.strip() for t in (text or "").splitlines() if len(t.strip()) >= 2]


@register.filter
def highlight_terms(text: str, review: Any) -> SafeString:
    """`text` escaped, with the review's terms marked (<mark>, with a class and a title
    naming the kind, so the colour is not the only sign). Longer terms win over shorter."""
    kinds = {t.lower(): "include" for t in _terms(review.highlight_include)}
    kinds.update({t.lower(): "exclude" for t in _terms(review.highlight_exclude)})
    safe = escape(text or "")
    if not kinds:
        return safe
    pattern = re.compile(
        "|".join(re.escape(escape(t)) for t in sorted(kinds, key=len, reverse=True)),
        re.IGNORECASE,
    )
    labels = {"include": review.highlight_label_include, "exclude": review.highlight_label_exclude}

    def mark(match: re.Match[str]) -> str:
        kind = kinds.get(match.group(0).lower(), "include")
        return f'<mark class="term-{kind}" title="{labels[kind]}">{match.group(0)}</mark>'

    return mark_safe(pattern.sub(mark, safe))  # noqa: S308 (input escaped above)
