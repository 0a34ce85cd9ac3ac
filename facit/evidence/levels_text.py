"""Words for the computed levels: labels, rule texts, reasons and flags (translatable)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from facit.evidence import levels

LEVEL_LABELS = {
    levels.WELL_SUPPORTED: gettext_lazy("Well supported"),
    levels.SUPPORTED: gettext_lazy("Supported"),
    levels.PROMISING: gettext_lazy("Promising"),
    levels.NO_EFFECT: gettext_lazy("No effect shown"),
    levels.CONCERNING: gettext_lazy("Concerning"),
    levels.INSUFFICIENT: gettext_lazy("Insufficient evidence"),
    levels.NOT_EVALUATED: gettext_lazy("Not evaluated"),
}

LEVEL_RULES = {
    levels.WELL_SUPPORTED: gettext_lazy(
        "At least two randomised trials (or one randomised trial and one strong quasi-experiment) "
        "with non-overlapping samples, low or moderate risk of bias and a favourable effect, one of "
        "them sustained for at least 12 months; no sign of harm."
    ),
    levels.SUPPORTED: gettext_lazy(
        "At least one randomised trial or strong quasi-experiment with low or moderate risk of bias "
        "and a favourable effect sustained for at least 6 months; no sign of harm."
    ),
    levels.PROMISING: gettext_lazy(
        "At least one controlled study with a favourable effect (not appraised as high risk of bias)."
    ),
    levels.NO_EFFECT: gettext_lazy(
        "The best studies (controlled, low or moderate risk of bias) show no effect."
    ),
    levels.CONCERNING: gettext_lazy("A study shows harm."),
    levels.INSUFFICIENT: gettext_lazy(
        "Only uncontrolled, qualitative or high-risk-of-bias studies, or studies whose results and "
        "risk of bias have not been extracted and appraised yet."
    ),
    levels.NOT_EVALUATED: gettext_lazy("No evaluation has been found."),
}

FLAG_LABELS = {
    "evaluated_once": gettext_lazy("Evaluated once"),
    "no_independent_replication": gettext_lazy("No independent replication"),
    "manual_available": gettext_lazy("Manual available"),
    "awaiting_appraisal": gettext_lazy("Awaiting appraisal"),
    "provisional": gettext_lazy("Provisional: one extractor, not yet confirmed by two reviewers"),
}

# The words of each rules version's change, in the page's language (levels.RULES_CHANGELOG
# keeps the English of record; a test checks every version has its words here).
RULES_CHANGES = {
    "2026.1": gettext_lazy("First version of the seven levels."),
}


def level_label(code: int) -> str:
    return str(LEVEL_LABELS[code])


def _counts_sentence(p: dict[str, Any]) -> str:
    parts = []
    if p["randomised"]:
        parts.append(
            ngettext("%(n)d randomised trial", "%(n)d randomised trials", p["randomised"])
            % {"n": p["randomised"]}
        )
    if p["quasi"]:
        parts.append(
            ngettext(
                "%(n)d quasi-experimental study", "%(n)d quasi-experimental studies", p["quasi"]
            )
            % {"n": p["quasi"]}
        )
    if p["uncontrolled"]:
        parts.append(
            ngettext(
                "%(n)d study without a control group",
                "%(n)d studies without a control group",
                p["uncontrolled"],
            )
            % {"n": p["uncontrolled"]}
        )
    return _("Recorded: %(list)s.") % {"list": ", ".join(parts)}


def reason_text(code: str, p: dict[str, Any]) -> str:
    n = int(p.get("count", 0))
    texts = {
        "no_evaluations": lambda: _("No evaluation of this intervention has been recorded."),
        "harm": lambda: (
            ngettext(
                "%(n)d evaluation reports a harmful effect.",
                "%(n)d evaluations report a harmful effect.",
                n,
            )
            % {"n": n}
        ),
        "well_supported": lambda: (
            _(
                "%(n)d controlled studies in %(samples)d independent samples show a favourable effect with low or moderate risk of bias, sustained for at least 12 months."
            )
            % {"n": n, "samples": p.get("samples", 0)}
        ),
        "supported": lambda: (
            ngettext(
                "%(n)d controlled study with low or moderate risk of bias shows a favourable effect sustained for at least 6 months.",
                "%(n)d controlled studies with low or moderate risk of bias show a favourable effect sustained for at least 6 months.",
                n,
            )
            % {"n": n}
        ),
        "not_sustained_12": lambda: _(
            "Not level 1: no favourable effect is shown at 12 months or later."
        ),
        "one_trial_only": lambda: _(
            "Not level 1: a second randomised trial or strong quasi-experiment in another sample is missing."
        ),
        "promising": lambda: (
            ngettext(
                "%(n)d controlled study shows a favourable effect.",
                "%(n)d controlled studies show a favourable effect.",
                n,
            )
            % {"n": n}
        ),
        "not_sustained_6": lambda: _(
            "Not level 2: no favourable effect is shown at 6 months or later."
        ),
        "rob_not_appraised": lambda: _("Not level 2: the risk of bias has not been appraised yet."),
        "no_effect": lambda: (
            ngettext(
                "The best study (controlled, low or moderate risk of bias) shows no effect.",
                "The %(n)d best studies (controlled, low or moderate risk of bias) show no effect.",
                n,
            )
            % {"n": n}
        ),
        "insufficient": lambda: _("No study yet meets the rules for levels 1 to 5."),
        "no_controlled": lambda: _("No study compared the intervention with a control group."),
        "high_rob": lambda: (
            ngettext(
                "%(n)d controlled study has a high risk of bias.",
                "%(n)d controlled studies have a high risk of bias.",
                n,
            )
            % {"n": n}
        ),
        "missing_outcomes": lambda: (
            ngettext(
                "%(n)d controlled study has no extracted result yet, so it cannot count.",
                "%(n)d controlled studies have no extracted results yet, so they cannot count.",
                n,
            )
            % {"n": n}
        ),
        "missing_appraisal": lambda: (
            ngettext(
                "%(n)d controlled study has no appraised risk of bias yet.",
                "%(n)d controlled studies have no appraised risk of bias yet.",
                n,
            )
            % {"n": n}
        ),
        "counts": lambda: _counts_sentence(p),
        "planned": lambda: (
            ngettext(
                "%(n)d evaluation is planned or registered without results yet; it does not count.",
                "%(n)d evaluations are planned or registered without results yet; they do not count.",
                n,
            )
            % {"n": n}
        ),
        "related": lambda: (
            ngettext(
                "%(n)d review or study is related evidence, not specific to this intervention; it is shown beside the level and does not count.",
                "%(n)d reviews or studies are related evidence, not specific to this intervention; they are shown beside the level and do not count.",
                n,
            )
            % {"n": n}
        ),
    }
    make = texts.get(code)
    return make() if make else code


def explain(level: int, reasons: list[dict[str, Any]]) -> str:
    """One paragraph: "Level 3 (Promising) because: ..."."""
    because = " ".join(reason_text(r["code"], r.get("params", {})) for r in reasons)
    return _("Level %(level)d (%(label)s) because: %(because)s") % {
        "level": level,
        "label": level_label(level),
        "because": because,
    }
