from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from facit.directory import vocab
from facit.directory.models import Language, Service, TaxonomyTerm
from facit.directory.search import SearchParams


def _term_choices(vocabulary: str) -> list[tuple[str, str]]:
    terms = TaxonomyTerm.objects.filter(code__startswith=f"{vocabulary}:").order_by("position")
    return [(t.code.split(":", 1)[1], t.label) for t in terms]


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """One of the form's choice fields (`form.fields` types them all as plain Field)."""
    return cast(forms.ChoiceField, form.fields[name])


# The municipality field suggests the 290 names and codes: a combobox with a listbox popup
# (WAI-ARIA APG; includes/municipality_options.html and static/js/facit.js). Without
# JavaScript it is a plain text input taking a name or a four-digit code.
MUNICIPALITY_ATTRS = {"data-combobox": "municipality-listbox", "autocomplete": "off"}


class SearchForm(forms.Form):
    """A GET form: nothing typed here is stored."""

    municipality = forms.CharField(
        label=_("Municipality"),
        required=False,
        max_length=100,
        help_text=_("Name or four-digit code, e.g. Malmö or 1280."),
        widget=forms.TextInput(attrs=MUNICIPALITY_ATTRS),
    )
    age = forms.IntegerField(
        label=_("Age of the child"), required=False, min_value=0, max_value=120
    )
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    exploitation = forms.MultipleChoiceField(
        label=_("Form of exploitation"), required=False, widget=forms.CheckboxSelectMultiple
    )
    gender = forms.ChoiceField(label=_("Gender"), required=False)
    channel = forms.MultipleChoiceField(
        label=_("How to get in touch"), required=False, widget=forms.CheckboxSelectMultiple
    )
    cost = forms.ChoiceField(label=_("Cost"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    radius_km = forms.FloatField(
        label=_("Distance (km)"), required=False, min_value=1, max_value=500
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice = [("", _("Any"))]
        choice_field(self, "exploitation").choices = _term_choices(vocab.EXPLOITATION)
        choice_field(self, "channel").choices = _term_choices(vocab.CHANNEL)
        choice_field(self, "gender").choices = [*any_choice, *_term_choices(vocab.GENDER)]
        choice_field(self, "cost").choices = [*any_choice, *_term_choices(vocab.COST)]
        codes = sorted(set(Language.objects.exclude(code="").values_list("code", flat=True)))
        choice_field(self, "language").choices = [*any_choice, *((c, c) for c in codes)]

    def params(self, page: int = 1) -> SearchParams:
        d = self.cleaned_data
        return SearchParams(
            municipality=(d.get("municipality") or "").strip(),
            lat=d.get("lat"),
            lon=d.get("lon"),
            radius_km=d.get("radius_km") or 25.0,
            age=d.get("age"),
            gender=f"gender:{d['gender']}" if d.get("gender") else "",
            exploitation=[f"exploitation:{c}" for c in d.get("exploitation") or []],
            language=d.get("language") or "",
            cost=f"cost:{d['cost']}" if d.get("cost") else "",
            channel=[f"channel:{c}" for c in d.get("channel") or []],
            open_now=bool(d.get("open_now")),
            q=d.get("q") or "",
            page=page,
        )


class ReferralForm(forms.Form):
    """The referral guide's three questions. A GET form; nothing is stored."""

    municipality = forms.CharField(
        label=_("Municipality"),
        required=False,
        max_length=100,
        help_text=_("Name or four-digit code, e.g. Malmö or 1280."),
        widget=forms.TextInput(attrs=MUNICIPALITY_ATTRS),
    )
    age = forms.IntegerField(label=_("Age of the child"), required=False, min_value=0, max_value=17)
    situation = forms.MultipleChoiceField(
        label=_("What the child may be exposed to"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "situation").choices = _term_choices(vocab.EXPLOITATION)


class ServiceChangeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Service
        fields = [
            "name",
            "alternate_name",
            "description",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "application_process",
            "fees_description",
            "url",
            "email",
            "alert",
        ]

    def clean(self) -> dict[str, Any]:
        from django.core.exceptions import ValidationError

        from facit.directory.services import ages_validate

        data = super().clean() or {}
        try:
            ages_validate(data.get("minimum_age"), data.get("maximum_age"))
        except ValidationError as exc:
            for field_name, errors in exc.message_dict.items():
                for error in errors:
                    self.add_error(field_name, error)
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DutyTextForm(forms.Form):
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 6}))
    legal_reference = forms.CharField(
        label=_("Legal reference"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Write only what a source you name below states."),
    )
    sources = forms.CharField(
        label=_("Sources, one per line"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def source_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["sources"].splitlines() if line.strip()]


class HsdsImportForm(forms.Form):
    """An HSDS 3.0 dataset to import: a JSON file (an object, a list, a *_package or facit's
    export bundle) or a tabular data package as a zip file."""

    file = forms.FileField(
        label=_("HSDS file"),
        help_text=_(
            "A JSON file (one object, a list, a package or facit's export) or a tabular data "
            "package as a zip file (datapackage.json and its CSV files)."
        ),
    )
    strict = forms.BooleanField(
        label=_("Strict: refuse the whole import on any problem"),
        required=False,
        help_text=_(
            "Without it, a reference to an object not in the data or a coordinate out of "
            "range is a warning: that value is left out and the rest is imported."
        ),
    )

    def clean_file(self) -> Any:
        from django.conf import settings
        from django.template.defaultfilters import filesizeformat

        upload = self.cleaned_data["file"]
        limit = settings.FACIT_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Nothing was imported."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        if not upload.name.lower().endswith((".json", ".zip")):
            raise forms.ValidationError(
                _("Choose a .json or a .zip file. Nothing was imported."), code="suffix"
            )
        return upload
