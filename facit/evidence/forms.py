from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from facit.evidence import vocabularies as vocab
from facit.evidence.models import ROB_DOMAINS, RiskOfBias, Term


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
