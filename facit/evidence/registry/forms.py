from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from facit.evidence import vocabularies as vocab
from facit.evidence.models import Intervention, Term


class InterventionEditForm(forms.ModelForm):
    """The registry's descriptive fields of an intervention, as an editor changes them.

    `loaded_version` is the version the editor opened: a save from a stale copy is refused
    (409) and nothing of it is kept."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    manual_available = forms.NullBooleanField(
        label=_("Manual available"),
        required=False,
        widget=forms.NullBooleanSelect,
    )

    class Meta:
        model = Intervention
        fields = [
            "name",
            "description",
            "focus",
            "target_groups",
            "settings",
            "setting_text",
            "prevention_level",
            "countries",
            "country_text",
            "age_min",
            "age_max",
            "delivery",
            "manual_available",
            "cost_note",
            "notes",
        ]
        labels = {
            "name": _("Name"),
            "description": _("Description"),
            "focus": _("Focus"),
            "target_groups": _("Target groups"),
            "settings": _("Settings"),
            "setting_text": _("Setting as described"),
            "prevention_level": _("Prevention level"),
            "countries": _("Countries"),
            "country_text": _("Country of origin as described"),
            "age_min": _("Youngest age (years)"),
            "age_max": _("Oldest age (years)"),
            "delivery": _("Delivery"),
            "cost_note": _("Cost"),
            "notes": _("Notes"),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "focus": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "settings": forms.CheckboxSelectMultiple,
            "countries": forms.SelectMultiple(attrs={"size": 6}),
        }

    TERM_FIELDS = {
        "focus": vocab.FOCUS,
        "target_groups": vocab.TARGET_GROUP,
        "settings": vocab.SETTING,
        "countries": vocab.COUNTRY,
        "prevention_level": vocab.PREVENTION_LEVEL,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, vocabulary in self.TERM_FIELDS.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = Term.objects.filter(vocabulary=vocabulary)
        self.fields["name"].error_messages["required"] = _("Give the intervention a name.")
        prevention = self.fields["prevention_level"]
        assert isinstance(prevention, forms.ModelChoiceField)
        prevention.empty_label = _("Not stated")
        for name in ("age_min", "age_max"):
            age = self.fields[name]
            assert isinstance(age, forms.IntegerField)
            age.max_value = 120
            age.validators.append(MaxValueValidator(120))
            age.widget.attrs["max"] = 120

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("The oldest age cannot be below the youngest age."))
        return data

    def changes(self) -> dict[str, Any]:
        """The cleaned fields as `intervention_update` takes them."""
        return {k: v for k, v in self.cleaned_data.items() if k != "loaded_version"}
