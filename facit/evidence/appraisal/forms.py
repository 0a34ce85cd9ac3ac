"""The appraisal and extraction desk forms: risk of bias, and what a reviewer extracts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from facit.evidence import vocabularies as vocab
from facit.evidence.appraisal import desk
from facit.evidence.labels import design_class_label, direction_labels, outcome_domain_label
from facit.evidence.models import ROB_DOMAINS, RiskOfBias, Term
from facit.evidence.synthesis.services import effect_or_none

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class AppraisalForm(forms.Form):
    """Risk of bias by domain, overall judgement and the design as the appraiser sees it."""

    design_confirmed = forms.ModelChoiceField(
        label=_("Design as you appraise it"), queryset=Term.objects.none(), required=False
    )
    overall = forms.ChoiceField(label=_("Overall risk of bias"), choices=RiskOfBias.choices)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        design = self.fields["design_confirmed"]
        assert isinstance(design, forms.ModelChoiceField)
        design.queryset = Term.objects.filter(vocabulary=vocab.DESIGN)
        for code, label in ROB_DOMAINS:
            self.fields[f"domain_{code}"] = forms.ChoiceField(
                label=label, choices=[("", "–"), *RiskOfBias.choices], required=False
            )

    def judgement(self) -> dict[str, Any]:
        """The cleaned appraisal, as keyword arguments for appraisal_submit/appraisal_consensus."""
        return {
            "overall": self.cleaned_data["overall"],
            "domains": self.domains(),
            "notes": self.cleaned_data["notes"],
            "design_confirmed": self.cleaned_data["design_confirmed"],
        }

    def domains(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"domain_{code}"]
            for code, _label in ROB_DOMAINS
            if self.cleaned_data.get(f"domain_{code}")
        }


def _design_class_choices() -> list[tuple[str, str]]:
    return [(code, design_class_label(code)) for code in vocab.DESIGN_CLASS_LABELS]


def _direction_choices() -> list[tuple[str, str]]:
    labels = direction_labels()
    return [(code, labels[code]) for code in vocab.EXTRACTION_DIRECTIONS]


def _domain_choices() -> list[tuple[str, str]]:
    return [(e.code, outcome_domain_label(e.code)) for e in vocab.OUTCOME_DOMAINS]


def parse_reported(text: str) -> dict[str, float]:
    """'m1i=3.2 sd1i=1.1, n1i=40' -> {'m1i': 3.2, ...}; a bad pair names itself."""
    values: dict[str, float] = {}
    for part in text.replace(",", " ").replace(";", " ").split():
        name, sep, value = part.partition("=")
        if not sep or not name:
            raise forms.ValidationError(
                _("“%(part)s” is not name=value."), params={"part": part}, code="pair"
            )
        try:
            values[name.strip()] = float(value)
        except ValueError as exc:
            raise forms.ValidationError(
                _("“%(value)s” for %(name)s is not a number."),
                params={"value": value, "name": name},
                code="number",
            ) from exc
    return values


class ExtractionForm(forms.Form):
    """What a reviewer extracts from one evaluation at the desk."""

    design_class = forms.ChoiceField(label=_("Design"))
    controlled = forms.TypedChoiceField(
        label=_("Compared with a control group?"),
        choices=[("", _("unknown")), ("true", _("yes")), ("false", _("no"))],
        coerce=lambda v: {"true": True, "false": False}.get(v),
        empty_value=None,
        required=False,
    )
    sample_size = forms.IntegerField(label=_("Sample size"), min_value=1, required=False)
    sustained_months = forms.FloatField(
        label=_("Longest follow-up (months)"), min_value=0, required=False
    )
    measure = forms.CharField(label=_("Outcome measure"), max_length=300, required=False)
    outcome_domain = forms.ChoiceField(label=_("Outcome domain"))
    direction = forms.ChoiceField(label=_("Direction of effect"))
    timepoint_months = forms.IntegerField(
        label=_("Time point (months after the intervention)"), min_value=0, required=False
    )
    effect_measure = forms.ChoiceField(
        label=_("Effect measure"),
        choices=[("", "–"), ("SMD", "SMD"), ("OR", "OR"), ("RR", "RR"), ("RD", "RD")],
        required=False,
    )
    reported = forms.CharField(
        label=_("Reported statistics"),
        help_text=_("As name=value pairs, e.g. m1i=3.2 sd1i=1.1 n1i=40 m2i=2.5 sd2i=1.0 n2i=41."),
        required=False,
    )
    evidence_quote = forms.CharField(
        label=_("Quote behind the direction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    rob_overall = forms.ChoiceField(
        label=_("Overall risk of bias"), choices=[("", "–"), *RiskOfBias.choices], required=False
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = dict(kwargs.get("initial") or {})
        if isinstance(initial.get("reported"), dict):
            initial["reported"] = " ".join(f"{k}={v:g}" for k, v in initial["reported"].items())
        if isinstance(initial.get("controlled"), bool):
            initial["controlled"] = "true" if initial["controlled"] else "false"
        for code, value in (initial.pop("rob_domains", None) or {}).items():
            initial[f"rob_{code}"] = value
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        # A blank first choice: a select never says "RCT" or "favourable" unless someone chose it.
        self._choice("design_class", [("", "–"), *_design_class_choices()])
        self._choice("direction", [("", "–"), *_direction_choices()])
        self._choice("outcome_domain", _domain_choices())
        for code, label in ROB_DOMAINS:
            self.fields[f"rob_{code}"] = forms.ChoiceField(
                label=label, choices=[("", "–"), *RiskOfBias.choices], required=False
            )

    def _choice(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean_reported(self) -> dict[str, float]:
        return parse_reported(self.cleaned_data.get("reported") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reported = data.get("reported") or {}
        if reported and not data.get("effect_measure"):
            self.add_error("effect_measure", _("Choose the effect measure of these statistics."))
        elif reported:
            try:
                effect_or_none(data["effect_measure"], reported)
            except ValidationError as exc:
                self.add_error("reported", exc.messages[0] if exc.messages else str(exc))
            except ValueError as exc:
                self.add_error("reported", str(exc))
        return data

    def extraction(self) -> dict[str, Any]:
        """The cleaned extraction, as `data` for extraction_submit/extraction_consensus."""
        data = {name: self.cleaned_data.get(name) for name in self.base_fields}
        data["rob_domains"] = {
            code: self.cleaned_data[f"rob_{code}"]
            for code, _label in ROB_DOMAINS
            if self.cleaned_data.get(f"rob_{code}")
        }
        return data


def prefill_source_labels() -> dict[str, StrOrPromise]:
    return {
        desk.SOURCE_PROVISIONAL: _(
            "Pre-filled from the provisional extraction: accept or change it."
        ),
        desk.SOURCE_LITERATURE: _(
            "Pre-filled from the literature review's extraction: accept or change it."
        ),
        desk.SOURCE_RECORDED: _(
            "Pre-filled from what the registry records for this evaluation: accept or change it."
        ),
    }


class DeskSubmitForm(ExtractionForm):
    """A reviewer's own extraction: the provisional starting point must be accepted or changed."""

    accepted_provisional = forms.BooleanField(
        label=_(
            "I have checked every field against the source; where I left the provisional value it is my own reading."
        ),
        required=True,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, prefilled: Mapping[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Where each pre-filled value comes from (desk.desk_start), said beside the field.
        self.prefilled = dict(prefilled or {})
        labels = prefill_source_labels()
        for name, source in self.prefilled.items():
            field = self.fields.get(name)
            if field is None or source not in labels:
                continue
            field.help_text = (
                format_lazy("{} {}", labels[source], field.help_text)
                if field.help_text
                else labels[source]
            )
        # The confirmation comes last, after every field it confirms.
        self.fields["accepted_provisional"] = self.fields.pop("accepted_provisional")
