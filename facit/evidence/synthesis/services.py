"""Effect sizes on outcome records: validate what a study reports, compute, store, audit.

The statistics themselves come from the pure package (facit.evidence.synthesis.stats); this
module decides which reported values belong to which effect measure, so that a study
gives one complete, unambiguous set, and turns the package's errors into errors that
name the field a person typed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from facit.accounts.models import User
from facit.core.audit import audit_record
from facit.evidence.models import Direction, Evaluation, Outcome
from facit.evidence.registry.services import intervention_recompute
from facit.evidence.revision import evidence_changed
from facit.evidence.synthesis.stats import EffectSize, SynthesisInputError, effect_size

MEASURES: tuple[str, ...] = ("SMD", "OR", "RR", "RD", "ZCOR", "GEN")
RATIO_MEASURES = frozenset({"OR", "RR"})
DIRECT = ("yi", "vi")
TABLE = ("ai", "bi", "ci", "di")
MEANS = ("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i")
#: Raw statistics each measure accepts (metafor escalc names); yi/vi suit every measure.
RAW_FIELDS: Mapping[str, tuple[str, ...]] = {
    "SMD": (*MEANS, "ti", "fi", "pi", "direction"),
    "OR": TABLE,
    "RR": TABLE,
    "RD": TABLE,
    "ZCOR": ("ri", "ni"),
    "GEN": (),
}
ALL_FIELDS: tuple[str, ...] = (*DIRECT, *MEANS, *TABLE, "ti", "fi", "pi", "direction", "ri", "ni")


class OutcomeInputError(ValidationError):
    """Reported statistics that cannot give an effect size; ``field`` names the input."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__({field: [reason]})
        self.field = field
        self.reason = reason


def _given(reported: Mapping[str, object]) -> list[str]:
    return [name for name, value in reported.items() if value is not None]


def _check_fields(measure: str, given: list[str], prefix: str) -> None:
    allowed = set(DIRECT) | set(RAW_FIELDS[measure])
    for name in given:
        if name not in allowed:
            reason = f"is not a statistic for {measure}; use {', '.join(sorted(allowed))}"
            raise SynthesisInputError(f"{prefix}{name}", reason)
    direct = [n for n in given if n in DIRECT]
    raw = [n for n in given if n not in DIRECT]
    if direct and raw:
        reason = "give either yi and vi or the raw statistics, not both"
        raise SynthesisInputError(f"{prefix}{direct[0]}", reason)
    if not raw:
        for name in DIRECT:
            if name not in direct:
                raise SynthesisInputError(f"{prefix}{name}", "is required")


#: Larger totals are not plausible participant counts (and overflow the database column).
MAX_PARTICIPANTS = 1_000_000_000

#: exp() overflows a float beyond about 709; a log ratio whose 95% interval reaches this
#: far cannot be shown as a ratio (and no real study is that imprecise).
MAX_LOG_RATIO = 700.0


def _displayable(effect: EffectSize) -> EffectSize:
    if effect.measure in RATIO_MEASURES:
        reach = abs(effect.yi) + 1.96 * math.sqrt(effect.vi)
        if reach > MAX_LOG_RATIO:
            raise SynthesisInputError(
                "vi", "the interval is too wide to express as a ratio; check the statistics"
            )
    return effect


def effect_from_reported(
    measure: str, reported: Mapping[str, object], *, prefix: str = ""
) -> EffectSize:
    """One study's effect size from its reported statistics, or SynthesisInputError.

    ``prefix`` is put before every field name in errors ("reported.", "body.studies[2].").
    """
    key = str(measure).upper()
    if key not in MEASURES:
        raise SynthesisInputError("effect_measure", f"must be one of {', '.join(MEASURES)}")
    given = _given(reported)
    _check_fields(key, given, prefix)
    stats = {name: reported[name] for name in given}
    try:
        return _displayable(effect_size(key, **stats))
    except SynthesisInputError as exc:
        # A statistic is named; a whole-study failure ("cannot be computed") names the study.
        target = f"{prefix}{exc.field}" if exc.field in ALL_FIELDS else prefix.rstrip(".")
        raise SynthesisInputError(target or exc.field, exc.reason) from None
    except (ArithmeticError, ValueError):
        # e.g. cells so small (1e-300) that a product underflows to zero inside log()
        raise SynthesisInputError(
            prefix.rstrip(".") or "reported", "these values are too extreme to compute"
        ) from None


def _participants(reported: Mapping[str, float]) -> int | None:
    for names in (("n1i", "n2i"), TABLE, ("ni",)):
        if all(name in reported for name in names):
            total = sum(reported[name] for name in names)
            return round(total) if 0 < total < MAX_PARTICIPANTS else None
    return None


def _clean(reported: Mapping[str, object]) -> dict[str, float]:
    # Only called after validation, so every value converts.
    return {name: float(value) for name, value in reported.items() if value is not None}  # type: ignore[arg-type]


def _check_plain_fields(
    *,
    direction: str,
    timepoint_months: int | None,
    texts: Mapping[str, str],
    n_total: int | None,
) -> None:
    """The non-statistical fields, checked here so that no database raises instead."""
    if direction not in Direction.values:
        raise OutcomeInputError("direction", f"must be one of {', '.join(Direction.values)}")
    if timepoint_months is not None and not 0 <= timepoint_months <= 32767:
        raise OutcomeInputError("timepoint_months", "must be a whole number of months, 0 or more")
    for name, text in texts.items():
        limit = getattr(Outcome._meta.get_field(name), "max_length", None) or 0
        if not text.strip() and name == "measure":
            raise OutcomeInputError(name, "is required")
        if len(text) > limit:
            raise OutcomeInputError(name, f"must be at most {limit} characters")
    if n_total is not None and not 0 < n_total < MAX_PARTICIPANTS:
        raise OutcomeInputError("n_total", "must be a positive number of participants")


def effect_or_none(effect_measure: str, reported: Mapping[str, object]) -> EffectSize | None:
    """The effect size, or None for an outcome recorded by direction only (no statistics)."""
    if not effect_measure and not reported:
        return None
    try:
        return effect_from_reported(effect_measure, reported, prefix="reported.")
    except SynthesisInputError as exc:
        raise OutcomeInputError(exc.field, exc.reason) from None


@transaction.atomic
def outcome_record(
    *,
    evaluation: Evaluation,
    measure: str,
    direction: str,
    timepoint_months: int | None,
    actor: User,
    effect_measure: str = "",
    reported: Mapping[str, object] | None = None,
    comparison_key: str = "",
    n_total: int | None = None,
    notes: str = "",
    outcome: Outcome | None = None,
) -> Outcome:
    """Store an outcome with its reported statistics and computed effect size.

    Without `effect_measure` and `reported` the outcome is recorded by its direction only.
    Pass ``outcome`` to replace the statistics of an existing record. Raises
    OutcomeInputError naming the field (e.g. "reported.sd1i") when the statistics cannot
    give a finite effect size; nothing is written then.
    """
    reported = reported or {}
    _check_plain_fields(
        direction=direction,
        timepoint_months=timepoint_months,
        texts={"measure": measure, "comparison_key": comparison_key},
        n_total=n_total,
    )
    effect = effect_or_none(effect_measure, reported)
    clean = _clean(reported)
    fields = {
        "measure": measure,
        "direction": direction,
        "timepoint_months": timepoint_months,
        "effect_measure": effect.measure if effect else "",
        "reported": clean,
        "yi": effect.yi if effect else None,
        "vi": effect.vi if effect else None,
        "effect_notes": [{"code": n.code, "text": n.text} for n in effect.notes] if effect else [],
        "comparison_key": comparison_key.strip(),
        "n_total": n_total if n_total is not None else _participants(clean),
        "notes": notes,
    }
    created = outcome is None
    if outcome is None:
        outcome = Outcome.objects.create(evaluation=evaluation, **fields)
    else:
        for name, value in fields.items():
            setattr(outcome, name, value)
        outcome.save(update_fields=[*fields, "updated_at"])
    action = "evidence.outcome.create" if created else "evidence.outcome.update"
    audit_record(
        actor=actor,
        action=action,
        target=outcome,
        detail={"effect_measure": fields["effect_measure"], "fields": sorted(clean)},
    )
    intervention_recompute(intervention=evaluation.intervention)
    evidence_changed()
    return outcome
