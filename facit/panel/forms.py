from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from facit.panel.models import Assessment, Member, Purpose


class LeaveForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("What should happen to what you wrote?"),
        choices=Member.LeaveChoice.choices,
        widget=forms.RadioSelect,
    )


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["relevant", "respectful", "perpetrator_responsible", "comment"]
        widgets = {
            "relevant": forms.RadioSelect,
            "respectful": forms.RadioSelect,
            "perpetrator_responsible": forms.RadioSelect,
        }


class MemberCreateForm(forms.Form):
    username = forms.CharField(label=_("Account user name"), max_length=150)
    pseudonym = forms.CharField(label=_("Pseudonym chosen by the member"), max_length=60)
    legal_name = forms.CharField(label=_("Legal name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    payment_details = forms.CharField(
        label=_("Payment details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FeeForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (SEK)"), min_value=0.01, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ConsentTextForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    text_sv = forms.CharField(label=_("Text in Swedish"), widget=forms.Textarea(attrs={"rows": 4}))
    text_en = forms.CharField(label=_("Text in English"), widget=forms.Textarea(attrs={"rows": 4}))
