"""Versioned Markdown guidance documents: safe rendering, anchors, diffs, change tracing."""

from .diff import Change, ChangeKind, changes_touching, diff_html, diff_versions
from .errors import GuidanceTextError
from .render import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    Rendered,
    Section,
    render,
    sanitize,
    slugify,
)

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "Change",
    "ChangeKind",
    "GuidanceTextError",
    "Rendered",
    "Section",
    "changes_touching",
    "diff_html",
    "diff_versions",
    "render",
    "sanitize",
    "slugify",
]
