from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from facit.guidance.models import Answer, Credit, Document, Version


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    lang = forms.ChoiceField(
        label=_("Language"), choices=[("sv", _("Swedish")), ("en", _("English"))]
    )
    markdown = forms.CharField(
        label=_("Text (Markdown)"), widget=forms.Textarea(attrs={"rows": 16, "class": "markdown"})
    )


class VersionForm(forms.Form):
    markdown = forms.CharField(
        label=_("Text (Markdown)"), widget=forms.Textarea(attrs={"rows": 16, "class": "markdown"})
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)
    # The document's version when the editor opened it: a stale save is refused (409).
    edit_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RoundForm(forms.Form):
    members: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Members to invite"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    content_warning = forms.CharField(
        label=_("Content warning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown before the text; the text opens only when the member asks."),
    )
    questions = forms.CharField(
        label=_("Questions to the panel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you ask the members; they read it before they accept."),
    )

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            cast(forms.ModelMultipleChoiceField, self.fields["members"]).queryset = members


class CommentForm(forms.Form):
    anchor = forms.ChoiceField(label=_("Section"))
    quote = forms.CharField(
        label=_("The passage you comment on (copy it here)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 5}))
    credit = forms.ChoiceField(
        label=_("How do you want to be credited?"),
        choices=[
            (Credit.PSEUDONYM, _("By my pseudonym (needs your consent to credit by pseudonym)")),
            (Credit.ANONYMOUS, _("Anonymously, as “a panel member”")),
        ],
        initial=Credit.ANONYMOUS,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, version: Version, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["anchor"]).choices = [
            (s["anchor"], s["title"]) for s in version.sections
        ]


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Answer.Decision.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    change_version = forms.ModelChoiceField(
        label=_("Version with the change"), queryset=Version.objects.none(), required=False
    )

    def __init__(self, *args: Any, versions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if versions is not None:
            cast(forms.ModelChoiceField, self.fields["change_version"]).queryset = versions


class FollowUpForm(forms.Form):
    text = forms.CharField(label=_("Your reply (once)"), widget=forms.Textarea(attrs={"rows": 3}))
