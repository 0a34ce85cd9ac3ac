"""The "Results and pooled effects" section of the intervention page.

Registered from EvidenceConfig.ready() through facit.core.extensions, so the page itself
does not need to know about synthesis.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from facit.evidence.synthesis.selectors import intervention_synthesis


def synthesis_section(request: HttpRequest, intervention: Any) -> str:
    """Rendered HTML, or "" when no outcome of the intervention has an effect size."""
    groups = intervention_synthesis(intervention)
    if not groups:
        return ""
    for group in groups:
        if group.pooled is not None:
            # built by forest_plot_svg, which escapes every piece of text it draws
            group.pooled.svg = mark_safe(group.pooled.svg)  # noqa: S308
    context = {"groups": groups, "any_pooled": any(g.pooled for g in groups)}
    return render_to_string("evidence/_synthesis.html", context, request=request)
