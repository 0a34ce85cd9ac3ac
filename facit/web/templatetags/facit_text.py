"""Text that exists only in English, shown honestly on pages in another language."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def english_text(value: str, origin: str = "verified") -> SafeString:
    """`value`, marked `lang="en"` for screen readers, with "(in English)" beside it on a page
    in another language. Data from English sources is shown as it is, never machine-translated.
    Only the verified data files are in English: text of another `origin` (entered by the team,
    invented demo data) is shown plainly."""
    if not value:
        return SafeString("")
    if origin != "verified" or (get_language() or "sv").startswith("en"):
        return format_html("{}", value)
    return format_html(
        '<span lang="en">{}</span> <span class="lang-note">{}</span>', value, _("(in English)")
    )
