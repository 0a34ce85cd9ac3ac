"""Display labels of the extraction vocabulary (direction of a result, design class,
outcome domain, the field a quote comes from) in the active language. Plain data and
translations only, so that every part of the evidence app can import it."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from facit.evidence import vocabularies as vocab


def direction_labels() -> dict[str, str]:
    return {
        "favourable": _("favourable"),
        "mixed": _("mixed"),
        "no_effect": _("no effect"),
        "unfavourable": _("unfavourable"),
        "harmful": _("harmful"),
        "unclear": _("unclear"),
        "not_reported": _("no result reported"),
    }


def quote_field_labels() -> dict[str, str]:
    return {
        "design": _("design"),
        "design_detail": _("design details"),
        "sample_size": _("sample"),
        "main_outcome": _("main outcome"),
        "result_as_stated": _("result as stated by the source"),
    }


def design_class_label(code: str) -> str:
    en, sv = vocab.DESIGN_CLASS_LABELS.get(code, (code, code))
    return sv if (get_language() or "sv").startswith("sv") else en


def outcome_domain_label(code: str) -> str:
    for entry in vocab.OUTCOME_DOMAINS:
        if entry.code == code:
            return entry.sv if (get_language() or "sv").startswith("sv") else entry.en
    return code
