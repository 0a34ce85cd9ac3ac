import math

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag
def bubble_radius(evaluations: int, biggest: int, max_radius: int = 22) -> str:
    """Area proportional to the number of evaluations; a visible dot even for zero."""
    if biggest <= 0:
        return "4"
    return f"{max(4.0, max_radius * math.sqrt(evaluations / biggest)):.1f}"


@register.simple_tag
def cell_link_query(
    row_axis: str, row_code: str, col_axis: str, col_code: str, current: str
) -> str:
    params = QueryDict(current, mutable=True)
    for key in ("rows", "cols", "page"):
        params.pop(key, None)
    params.setlist(row_axis, [row_code])
    if col_axis != row_axis:
        params.setlist(col_axis, [col_code])
    return params.urlencode()


@register.filter
def selected_in(code: str, codes: list[str] | None) -> bool:
    return bool(codes) and code in codes
