"""Evidence levels, computed by explicit and versioned rules (no Django imports).

The rules follow facit's design handbook (after CEBC, Blueprints, EIF and the Title IV-E
clearinghouse). Every decision is returned as reason codes with parameters, so a page can
show in words *why* an intervention has its level, and what is missing where a rule needs
information that has not been extracted or appraised yet. Nothing unknown is guessed:
an outcome without a recorded direction is not favourable, an unappraised study is not
low risk of bias.

Change a rule -> bump RULES_VERSION and describe the change in RULES_CHANGELOG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

RULES_VERSION = "2026.1"
RULES_CHANGELOG = {"2026.1": "First version of the seven levels."}

WELL_SUPPORTED, SUPPORTED, PROMISING, NO_EFFECT, CONCERNING, INSUFFICIENT, NOT_EVALUATED = range(
    1, 8
)

RANDOMISED = "rct"
QUASI = "quasi-experimental"
CONTROLLED = {RANDOMISED, QUASI}
ACCEPTABLE_ROB = {"low", "moderate"}


@dataclass(frozen=True)
class OutcomeFacts:
    direction: str  # "favourable" | "no_effect" | "harmful" | "mixed"
    months: int | None = None


@dataclass(frozen=True)
class EvaluationFacts:
    id: int
    design: str  # design vocabulary code
    rob: str | None = None  # consensus overall risk of bias, None when not appraised
    outcomes: Sequence[OutcomeFacts] = ()
    sample_key: str = ""  # evaluations of the same participants share a key
    independent: bool | None = None

    @property
    def controlled(self) -> bool:
        return self.design in CONTROLLED

    @property
    def acceptable_rob(self) -> bool:
        return self.rob in ACCEPTABLE_ROB

    @property
    def favourable(self) -> bool:
        return any(o.direction == "favourable" for o in self.outcomes)

    @property
    def harmful(self) -> bool:
        return any(o.direction == "harmful" for o in self.outcomes)

    def sustained(self, months: int) -> bool:
        return any(
            o.direction == "favourable" and o.months is not None and o.months >= months
            for o in self.outcomes
        )

    @property
    def sample(self) -> str:
        return self.sample_key or f"evaluation-{self.id}"


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict[str, int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class LevelResult:
    level: int
    reasons: list[Reason]
    flags: list[str]
    rules_version: str = RULES_VERSION


def _distinct_samples(evaluations: Sequence[EvaluationFacts]) -> int:
    return len({e.sample for e in evaluations})


def _well_supported(strong: list[EvaluationFacts]) -> bool:
    rcts = [e for e in strong if e.design == RANDOMISED]
    quasi = [e for e in strong if e.design == QUASI]
    two_trials = _distinct_samples(rcts) >= 2
    trial_and_quasi = bool(rcts) and _distinct_samples(rcts + quasi) >= 2
    return (two_trials or trial_and_quasi) and any(e.sustained(12) for e in strong)


def _missing_information(evaluations: Sequence[EvaluationFacts]) -> list[Reason]:
    """Say which controlled evaluations cannot count yet, and why."""
    controlled = [e for e in evaluations if e.controlled]
    no_outcome = sum(1 for e in controlled if not e.outcomes)
    unappraised = sum(1 for e in controlled if e.rob is None)
    reasons = []
    if no_outcome:
        reasons.append(Reason("missing_outcomes", {"count": no_outcome}))
    if unappraised:
        reasons.append(Reason("missing_appraisal", {"count": unappraised}))
    return reasons


def _counts(evaluations: Sequence[EvaluationFacts]) -> Reason:
    return Reason(
        "counts",
        {
            "evaluations": len(evaluations),
            "randomised": sum(1 for e in evaluations if e.design == RANDOMISED),
            "quasi": sum(1 for e in evaluations if e.design == QUASI),
            "uncontrolled": sum(1 for e in evaluations if not e.controlled),
        },
    )


def flags_for(
    evaluations: Sequence[EvaluationFacts], *, manual_available: bool | None
) -> list[str]:
    flags = []
    if len(evaluations) == 1:
        flags.append("evaluated_once")
    if evaluations and not any(e.independent for e in evaluations):
        flags.append("no_independent_replication")
    if manual_available:
        flags.append("manual_available")
    if _missing_information(evaluations):
        flags.append("awaiting_appraisal")
    return flags


def compute_level(
    evaluations: Sequence[EvaluationFacts], *, manual_available: bool | None = None
) -> LevelResult:
    flags = flags_for(evaluations, manual_available=manual_available)
    if not evaluations:
        return LevelResult(NOT_EVALUATED, [Reason("no_evaluations")], flags)
    counts = _counts(evaluations)
    missing = _missing_information(evaluations)

    harmful = [e for e in evaluations if e.harmful]
    if harmful:
        return LevelResult(CONCERNING, [Reason("harm", {"count": len(harmful)}), counts], flags)

    strong = [e for e in evaluations if e.controlled and e.acceptable_rob and e.favourable]
    if _well_supported(strong):
        reason = Reason(
            "well_supported", {"count": len(strong), "samples": _distinct_samples(strong)}
        )
        return LevelResult(WELL_SUPPORTED, [reason, counts], flags)

    sustained = [e for e in strong if e.sustained(6)]
    if sustained:
        result = [Reason("supported", {"count": len(sustained)}), counts]
        if not any(e.sustained(12) for e in strong):
            result.append(Reason("not_sustained_12"))
        elif _distinct_samples([e for e in strong if e.design == RANDOMISED]) < 2:
            result.append(Reason("one_trial_only"))
        return LevelResult(SUPPORTED, result + missing, flags)

    promising = [e for e in evaluations if e.controlled and e.favourable and e.rob != "high"]
    if promising:
        result = [Reason("promising", {"count": len(promising)}), counts]
        if strong:
            result.append(Reason("not_sustained_6"))
        elif not any(e.acceptable_rob for e in promising):
            result.append(Reason("rob_not_appraised", {"count": len(promising)}))
        return LevelResult(PROMISING, result + missing, flags)

    best = [e for e in evaluations if e.controlled and e.acceptable_rob and e.outcomes]
    if best and all(all(o.direction == "no_effect" for o in e.outcomes) for e in best):
        return LevelResult(NO_EFFECT, [Reason("no_effect", {"count": len(best)}), counts], flags)

    result = [Reason("insufficient"), counts]
    if not any(e.controlled for e in evaluations):
        result.append(Reason("no_controlled"))
    high = sum(1 for e in evaluations if e.controlled and e.rob == "high")
    if high:
        result.append(Reason("high_rob", {"count": high}))
    return LevelResult(INSUFFICIENT, result + missing, flags)
