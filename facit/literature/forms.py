from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from facit.accounts.models import User
from facit.evidence import vocabularies as vocab
from facit.evidence.models import Intervention, Term
from facit.literature.models import Decision, Review, SearchLog

FORMAT_CHOICES = [
    ("", _("Recognise from the file")),
    ("ris", "RIS"),
    ("wos", "Web of Science"),
    ("bibtex", "BibTeX"),
    ("pubmed", "PubMed/MEDLINE (.nbib)"),
    ("csv", "CSV"),
    ("openalex", "OpenAlex JSON"),
]


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = [
            "title",
            "question",
            "inclusion_criteria",
            "exclusion_criteria",
            "allocation",
            "dual_share",
            "highlight_include",
            "highlight_exclude",
        ]
        widgets = {
            "highlight_include": forms.Textarea(attrs={"rows": 3}),
            "highlight_exclude": forms.Textarea(attrs={"rows": 3}),
            "question": forms.Textarea(attrs={"rows": 3}),
            "inclusion_criteria": forms.Textarea(attrs={"rows": 5}),
            "exclusion_criteria": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A form that leaves these out keeps what the review has (dual screening by default).
        self.fields["allocation"].required = False
        self.fields["dual_share"].required = False

    def clean_allocation(self) -> str:
        return self.cleaned_data.get("allocation") or self.instance.allocation

    def clean_dual_share(self) -> int:
        value = self.cleaned_data.get("dual_share")
        return value if value is not None else self.instance.dual_share


class ReviewEditForm(ReviewForm):
    loaded_version = forms.IntegerField(widget=forms.HiddenInput)


class SearchLogForm(forms.ModelForm):
    class Meta:
        model = SearchLog
        fields = ["database", "query", "searched_on", "hits", "notes"]
        widgets = {
            "searched_on": forms.DateInput(attrs={"type": "date"}),
            "query": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class MemberForm(forms.Form):
    username = forms.CharField(label=_("Username of a reviewer"), max_length=150)

    def clean_username(self) -> User:
        name = self.cleaned_data["username"]
        user = User.objects.filter(username=name, groups__name="reviewer", is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active reviewer has that username."))
        return user


class ReasonForm(forms.Form):
    label = forms.CharField(label=_("New reason for exclusion"), max_length=200)
    not_retrieved = forms.BooleanField(
        label=_("The full text could not be retrieved"), required=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"))
    fmt = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, required=False)
    search = forms.ModelChoiceField(
        label=_("Search it came from"),
        queryset=SearchLog.objects.none(),
        required=False,
        empty_label=_("Not from a logged search"),
    )
    source = forms.CharField(
        label=_("Database or source"),
        max_length=200,
        required=False,
        help_text=_("Used in the PRISMA diagram when the file is not from a logged search."),
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["search"]).queryset = review.searches.all()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.FACIT_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Nothing was imported."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        return upload


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    reason: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Reason for exclusion"),
        queryset=None,
        required=False,
        empty_label=_("Choose a reason"),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["reason"]).queryset = review.reasons.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Decision.EXCLUDE and not data.get("reason"):
            self.add_error("reason", _("Choose a reason for excluding."))
        return data


class ResolutionForm(DecisionForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.INCLUDE, Decision.INCLUDE.label),
            (Decision.EXCLUDE, Decision.EXCLUDE.label),
        ],
    )


class ExtractionForm(forms.Form):
    intervention = forms.ModelChoiceField(
        label=_("Existing intervention"),
        queryset=Intervention.objects.all(),
        required=False,
        empty_label=_("A new intervention"),
    )
    new_intervention_name = forms.CharField(
        label=_("Name of the new intervention"), max_length=300, required=False
    )
    title = forms.CharField(label=_("Title"), widget=forms.Textarea(attrs={"rows": 2}))
    authors = forms.CharField(label=_("Authors"), required=False)
    year = forms.CharField(label=_("Year"), max_length=20, required=False)
    journal = forms.CharField(label=_("Journal or publisher"), max_length=300, required=False)
    doi = forms.CharField(label="DOI", max_length=200, required=False)
    design = forms.ModelChoiceField(label=_("Design"), queryset=Term.objects.none())
    sample_size = forms.IntegerField(label=_("Sample size"), min_value=0, required=False)
    follow_up_months = forms.IntegerField(
        label=_("Longest follow-up (months)"), min_value=0, max_value=600, required=False
    )
    country = forms.CharField(label=_("Country"), max_length=200, required=False)
    main_outcome = forms.CharField(
        label=_("Main outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["design"]).queryset = Term.objects.filter(
            vocabulary=vocab.DESIGN
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("intervention") and not (data.get("new_intervention_name") or "").strip():
            self.add_error(
                "new_intervention_name", _("Choose an existing intervention or name a new one.")
            )
        return data

    def evaluation_fields(self) -> dict[str, Any]:
        names = ["title", "authors", "year", "journal", "doi", "design", "sample_size"]
        names += ["follow_up_months", "country", "main_outcome"]
        return {n: self.cleaned_data[n] for n in names if self.cleaned_data.get(n) not in (None,)}
